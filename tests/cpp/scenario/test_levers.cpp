// Lever schedules (scenario/levers.hpp), the levels the phases read (model/policy.hpp) and the
// scenario's check of a schedule.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "clustersim/errors.hpp"
#include "clustersim/model/policy.hpp"
#include "clustersim/scenario/parameters.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

TEST(Levers, ScheduleActsFromStartToEndYear) {
  const LeverSchedule schedule{1.5, 2024, 2026};
  EXPECT_EQ(schedule.level(2023), 0.0);
  EXPECT_EQ(schedule.level(2024), 1.5);
  EXPECT_EQ(schedule.level(2026), 1.5);
  EXPECT_EQ(schedule.level(2027), 0.0);
}

TEST(Levers, ATemporaryEffectEndsAfterItsYearsAndSoDoesItsCost) {
  // A three-year programme from 2024: levels and costs in 2024-2026 only, although the
  // schedule runs to 2030.
  const LeverSchedule schedule{2.0, 2024, 2030, 3.0, 0.0, 5e8};
  for (int year = 2023; year <= 2031; ++year) {
    const bool runs = year >= 2024 && year <= 2026;
    EXPECT_EQ(schedule.level(year), runs ? 2.0 : 0.0) << year;
    EXPECT_EQ(schedule.cost(year), runs ? 1e9 : 0.0) << year;
  }
}

TEST(Levers, ADecayingEffectHalvesEveryHalfLifeWhileItsCostStays) {
  const LeverSchedule schedule{1.0, 2023, 2100, 0.0, 2.0, 1e8};
  EXPECT_DOUBLE_EQ(schedule.level(2023), 1.0);
  EXPECT_DOUBLE_EQ(schedule.level(2025), 0.5);
  EXPECT_DOUBLE_EQ(schedule.level(2029), 0.125);
  EXPECT_DOUBLE_EQ(schedule.cost(2029), 1e8);
  EXPECT_EQ(schedule.cost(2022), 0.0);
}

TEST(Levers, EveryLeverHasAProfileAndACostWithASource) {
  // The defaults of effect_years, half_life_years and cost_cny_per_year come from
  // docs/levers.md: every lever costs something, with a prior, and says why.
  for (const LeverInfo& info : lever_catalogue()) {
    const std::string key = "policy." + std::string(info.key);
    const ParamSpec* cost = find_parameter(key + ".cost_cny_per_year");
    const ParamSpec* years = find_parameter(key + ".effect_years");
    ASSERT_NE(cost, nullptr) << key;
    ASSERT_NE(years, nullptr) << key;
    EXPECT_GT(std::get<double>(cost->default_value), 0.0) << key;
    EXPECT_EQ(cost->prior.kind, PriorKind::lognormal) << key;
    EXPECT_LT(cost->plausible_low, cost->plausible_high) << key;
    EXPECT_GT(cost->source.size(), 40u) << key;
    EXPECT_GT(years->source.size(), 40u) << key;
  }
}

TEST(Levers, PriorQuantilesAreTheDeclaredDistributions) {
  const Prior lognormal{PriorKind::lognormal, 0.01, 0.8};
  EXPECT_NEAR(prior_quantile(lognormal, 0.5), 0.01, 1e-15);
  EXPECT_NEAR(prior_quantile(lognormal, 0.95), 0.01 * std::exp(0.8 * 1.6448536269514722), 1e-12);
  const Prior normal{PriorKind::normal, -1.0, 0.3};
  EXPECT_NEAR(prior_quantile(normal, 0.05), -1.0 - 0.3 * 1.6448536269514722, 1e-12);
  const Prior uniform{PriorKind::uniform, 0.0, 0.3};
  EXPECT_NEAR(prior_quantile(uniform, 0.25), 0.075, 1e-15);
}

TEST(Levers, AParkMakingAnEffortRunsItsOwnProgrammesHarder) {
  // Effort 0.5 in park 0 at evaluation level 2: its land supply and incubator upgrades run at
  // their level + 1; levers the park does not run (finance) and other parks are unchanged.
  PolicyState policy;
  policy.level[static_cast<std::size_t>(Lever::evaluation)] = 2.0;
  policy.level[static_cast<std::size_t>(Lever::land_supply)] = 1.0;
  policy.level[static_cast<std::size_t>(Lever::government_fund)] = 1.0;
  const std::vector<double> effort = {0.5, 0.0};
  policy.effort = &effort;
  EXPECT_EQ(policy.at(Lever::land_supply, 0), 2.0);
  EXPECT_EQ(policy.at(Lever::incubator_upgrades, 0), 1.0);
  EXPECT_EQ(policy.at(Lever::government_fund, 0), 1.0);
  EXPECT_EQ(policy.at(Lever::land_supply, 1), 1.0);
  const std::vector<std::uint8_t> in_zone = {0, 1};
  policy.in_zone = &in_zone;
  EXPECT_EQ(policy.at(Lever::land_supply, 0), 0.0);
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
