// Evaluation and elimination of parks, lever schedules and targets in the kernel.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/errors.hpp"
#include "clustersim/model/targets.hpp"
#include "clustersim/phases/phases.hpp"
#include "clustersim/simulation.hpp"
#include "helpers.hpp"

using namespace clustersim;

namespace {

Parks five_parks() {
  Parks parks;
  for (int k = 0; k < 5; ++k) {
    parks.id.push_back(std::string(1, static_cast<char>('a' + k)));
    parks.leading_mask.push_back(0b111);
    parks.area_km2.push_back(10.0);
  }
  parks.reset_standing(3, std::vector<double>(5 * sector_count, 1.0));
  return parks;
}

ModelParameters ranking_parameters() {
  ModelParameters p = Scenario().parameters();
  p.evaluation_top_parks = 2;
  p.evaluation_bottom_parks = 1;
  p.evaluation_fail_score = -1.0;
  return p;
}

Standing standing(const Parks& parks, std::size_t k) {
  return static_cast<Standing>(parks.standing[k]);
}

}  // namespace

TEST(Evaluation, OneNoticeThenTheSecondStrikeRemovesThePlaque) {
  // docs/model.md, "Evaluation and elimination": the last park fails (score below -1) twice in a
  // row and is removed; the top two get priority.
  Parks parks = five_parks();
  const ModelParameters p = ranking_parameters();
  rank_parks({2.0, 1.0, 0.0, -0.5, -2.0}, p, parks);
  EXPECT_EQ(standing(parks, 0), Standing::priority);
  EXPECT_EQ(standing(parks, 1), Standing::priority);
  EXPECT_EQ(standing(parks, 2), Standing::normal);
  EXPECT_EQ(standing(parks, 3), Standing::normal);
  EXPECT_EQ(standing(parks, 4), Standing::notified);
  EXPECT_EQ(parks.strikes[4], 1);
  EXPECT_TRUE(parks.is_in_zone(4));

  rank_parks({2.0, 1.0, 0.0, -0.5, -1.5}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::removed);
  EXPECT_FALSE(parks.is_in_zone(4));
  EXPECT_EQ(parks.score[4], -1.5);

  // A removed park is no longer ranked: the next last one only gets a notice.
  rank_parks({2.0, 1.0, 0.0, -3.0, 9.0}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::removed);
  EXPECT_EQ(parks.score[4], -1.5);  // not re-scored
  EXPECT_EQ(standing(parks, 3), Standing::notified);
}

TEST(Evaluation, ANoticeLapsesWhenTheParkRecovers) {
  Parks parks = five_parks();
  const ModelParameters p = ranking_parameters();
  rank_parks({2.0, 1.0, 0.0, -0.5, -2.0}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::notified);
  rank_parks({2.0, 1.0, 0.0, -2.0, -0.5}, p, parks);  // park 3 is last now
  EXPECT_EQ(standing(parks, 4), Standing::normal);
  EXPECT_EQ(parks.strikes[4], 0);
  EXPECT_EQ(standing(parks, 3), Standing::notified);
  rank_parks({2.0, 1.0, 0.0, -0.5, -2.0}, p, parks);  // park 4 last again: a new first strike
  EXPECT_EQ(standing(parks, 4), Standing::notified);
  EXPECT_TRUE(parks.is_in_zone(4));
}

TEST(Evaluation, TheLastParkAboveTheFailingScoreGetsNoStrike) {
  Parks parks = five_parks();
  const ModelParameters p = ranking_parameters();
  for (int year = 0; year < 3; ++year) rank_parks({2.0, 1.0, 0.5, 0.0, -0.9}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::normal);
  EXPECT_EQ(parks.strikes[4], 0);
}

TEST(Evaluation, TiesAreBrokenByParkOrder) {
  Parks parks = five_parks();
  ModelParameters p = ranking_parameters();
  p.evaluation_top_parks = 1;
  rank_parks({1.0, 1.0, 1.0, 1.0, 1.0}, p, parks);
  EXPECT_EQ(standing(parks, 0), Standing::priority);
  EXPECT_EQ(standing(parks, 1), Standing::normal);
}

TEST(Evaluation, FocusKeepsTheLargestNamedIndustries) {
  Parks parks = five_parks();
  std::vector<double> revenue(5 * sector_count, 0.0);
  revenue[cell_index(0, 0)] = 1.0;
  revenue[cell_index(0, 1)] = 3.0;
  revenue[cell_index(0, 2)] = 2.0;
  parks.reset_standing(2, revenue);
  EXPECT_FALSE(parks.keeps_named(0, 0));
  EXPECT_TRUE(parks.keeps_named(0, 1));
  EXPECT_TRUE(parks.keeps_named(0, 2));
}

TEST(Levers, ScheduleActsFromStartToEndYear) {
  const LeverSchedule schedule{1.5, 2024, 2026};
  EXPECT_EQ(schedule.level(2023), 0.0);
  EXPECT_EQ(schedule.level(2024), 1.5);
  EXPECT_EQ(schedule.level(2026), 1.5);
  EXPECT_EQ(schedule.level(2027), 0.0);
}

TEST(Levers, ARemovedParkGetsNoLever) {
  PolicyState policy;
  policy.level[static_cast<std::size_t>(Lever::land_supply)] = 2.0;
  const std::vector<std::uint8_t> in_zone = {1, 0};
  policy.in_zone = &in_zone;
  EXPECT_EQ(policy.at(Lever::land_supply, 0), 2.0);
  EXPECT_EQ(policy.at(Lever::land_supply, 1), 0.0);
}

TEST(Levers, EndBeforeStartIsRejectedNamingTheKey) {
  Scenario scenario;
  scenario.set("policy.land.supply.start_year", std::int64_t{2030});
  scenario.set("policy.land.supply.end_year", std::int64_t{2025});
  try {
    (void)scenario.parameters();
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& error) {
    EXPECT_EQ(error.key(), "policy.land.supply.end_year");
  }
}

TEST(Targets, MetUsesTheComparisonOfThePolicy) {
  const ModelParameters p = Scenario().parameters();
  EXPECT_FALSE(target_met(0, 100.0, p));  // champions: more than 100
  EXPECT_TRUE(target_met(0, 101.0, p));
  EXPECT_TRUE(target_met(1, 0.85, p));  // leading share: at least 85 %
  EXPECT_FALSE(target_met(1, 0.849, p));
}

TEST(Targets, RecordedEachDecemberIdenticallyForAnyThreadCount) {
  const Scenario scenario = test_support::small_scenario(0.02, 2023);
  Simulation serial(scenario, 5, 0), parallel(scenario, 5, 2);
  serial.run_until(2023);
  parallel.run_until(2023);
  ASSERT_EQ(serial.targets().years(), (std::vector<int>{2022, 2023}));
  EXPECT_EQ(serial.targets().values(), parallel.targets().values());
  EXPECT_EQ(serial.targets().met(), parallel.targets().met());
}
