// Targets (model/targets.cpp): whether a target is met, and the targets recorded each December.
#include <gtest/gtest.h>

#include <vector>

#include "clustersim/model/targets.hpp"
#include "clustersim/simulation.hpp"
#include "helpers.hpp"

using namespace clustersim;

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
