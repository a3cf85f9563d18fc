// Phase measure_cells (docs/model.md 3.3.10) on a small hand-made world.
#include <gtest/gtest.h>

#include "clustersim/phases/measure_cells.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;
using test_support::ParksBuilder;

TEST(MeasureCells, SumsLivingFirmsInFullScaleEquivalents) {
  Scenario s;
  s.set("scale", 0.5);
  const ModelParameters p = s.parameters();
  const Parks parks = ParksBuilder(2).floor_space(1e6).build();
  FirmArrays firms = FirmsBuilder(4).revenue(2e6).build();
  firms.alive[3] = 0;
  firms.park[2] = 1;
  CellStats cells;
  measure_cells(firms, parks, p, Executor(2), cells);
  EXPECT_EQ(cells.firms[cell_index(0, 0)], 4.0);  // two agents / 0.5
  EXPECT_EQ(cells.firms[cell_index(1, 0)], 2.0);
  EXPECT_EQ(cells.revenue_cny[cell_index(0, 0)], 8e6);
  EXPECT_EQ(cells.employees[cell_index(0, 0)], 40.0);
  EXPECT_EQ(cells.used_floor_space_m2[0], 40.0 * p.floor_space_per_employee_m2);
  EXPECT_EQ(cells.occupancy[0], 40.0 * p.floor_space_per_employee_m2 / 1e6);
  EXPECT_EQ(cells.firms[cell_index(0, 1)], 0.0);
}

TEST(MeasureCells, NewFirmRevenueCountsOnlyFirmsFoundedInTheRun) {
  Scenario s;
  s.set("scale", 0.5);
  const ModelParameters p = s.parameters();
  const Parks parks = ParksBuilder(1).floor_space(1e6).build();
  FirmArrays firms = FirmsBuilder(4).revenue(2e6).build();
  for (std::size_t i = 0; i < 4; ++i) firms.id[i] = static_cast<std::int64_t>(10 + i);
  firms.revenue_cny[3] = 5e6;
  firms.alive[2] = 0;  // a dead new firm adds nothing
  CellStats cells;
  // Ids 12 and 13 were founded in the run; 12 has died.
  measure_cells(firms, parks, p, Executor(2), cells, PolicyState::neutral(), 12);
  EXPECT_EQ(cells.new_firm_revenue_cny[cell_index(0, 0)], 1e7);  // 5e6 / 0.5
  EXPECT_EQ(cells.revenue_cny[cell_index(0, 0)], 1.8e7);
  // Without a first new id (the base year), no firm is new.
  measure_cells(firms, parks, p, Executor(2), cells);
  EXPECT_EQ(cells.new_firm_revenue_cny[cell_index(0, 0)], 0.0);
}
