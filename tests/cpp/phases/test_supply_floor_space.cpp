// Phase supply_floor_space (docs/model.md 3.3.1) on hand-made parks.
#include <gtest/gtest.h>

#include "clustersim/phases/supply_floor_space.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::ParksBuilder;

TEST(SupplyFloorSpace, GrowsAtTheAnnualRateOverAYear) {
  const ModelParameters p = Scenario().parameters();
  Parks parks = ParksBuilder(2).floor_space(1000.0).build();
  for (std::uint32_t step = 1; step <= 12; ++step) {
    supply_floor_space(parks, CellStats{}, StepContext{p, Executor(1), 1, step});
  }
  EXPECT_NEAR(parks.floor_space_m2[0], 1000.0 * (1 + p.floor_space_growth), 1e-9);
}
