// Phase enter_firms (docs/model.md 3.3.5) on small hand-made worlds.
#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "clustersim/phases/enter_firms.hpp"
#include "clustersim/phases/measure_cells.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;
using test_support::ParksBuilder;

TEST(EnterFirms, NewFirmsGetFreshIdsAndStartUpState) {
  Scenario s;
  s.set("firms.entry.rate", 1.2);  // 10 % of incumbents a month
  const ModelParameters p = s.parameters();
  Parks parks = ParksBuilder(2).floor_space(1e12).build();
  FirmArrays firms = FirmsBuilder(1000).revenue(1e7).build();
  CellStats cells;
  const Executor executor(2);
  measure_cells(firms, parks, p, executor, cells);
  std::int64_t next_id = 1000;
  std::vector<double> entries(2 * sector_count, 0.0);
  enter_firms(firms, parks, cells, StepContext{p, executor, 3, 1}, next_id, entries);
  const auto added = static_cast<std::int64_t>(firms.size()) - 1000;
  EXPECT_EQ(next_id, 1000 + added);
  double counted = 0;
  for (double e : entries) counted += e;
  EXPECT_EQ(counted, static_cast<double>(added));
  // Poisson(100 + seed rate 0.5 in each park's IC): sd 10; 5 sd.
  EXPECT_NEAR(static_cast<double>(added), 101.0, 50.0);
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < firms.size(); ++i) EXPECT_TRUE(ids.insert(firms.id[i]).second);
  for (std::size_t i = 1000; i < firms.size(); ++i) {
    EXPECT_EQ(firms.alive[i], 1);
    EXPECT_EQ(firms.age_months[i], 0);
    EXPECT_GT(firms.revenue_cny[i], 0);
    EXPECT_GE(firms.employees[i], 1);
    EXPECT_GT(firms.cash_cny[i], 0);
  }
}

TEST(EnterFirms, NoRateNoSpaceNoEntry) {
  Scenario s;
  s.set("firms.entry.rate", 0.0);
  s.set("firms.entry.seed_per_month", 0.0);
  const ModelParameters p = s.parameters();
  Parks parks = ParksBuilder(2).floor_space(1e12).build();
  FirmArrays firms = FirmsBuilder(100).revenue(1e7).build();
  CellStats cells;
  const Executor executor(1);
  measure_cells(firms, parks, p, executor, cells);
  std::int64_t next_id = 100;
  std::vector<double> entries(2 * sector_count, 0.0);
  enter_firms(firms, parks, cells, StepContext{p, executor, 3, 1}, next_id, entries);
  EXPECT_EQ(firms.size(), 100u);

  const ModelParameters busy = Scenario().parameters();
  Parks full = ParksBuilder(2).floor_space(1.0).build();  // no floor space left anywhere
  measure_cells(firms, full, busy, executor, cells);
  enter_firms(firms, full, cells, StepContext{busy, executor, 3, 2}, next_id, entries);
  EXPECT_EQ(firms.size(), 100u);
}
