// Lever schedules (scenario/levers.hpp), the levels the phases read (model/policy.hpp) and the
// scenario's check of a schedule.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "clustersim/errors.hpp"
#include "clustersim/model/policy.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

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
