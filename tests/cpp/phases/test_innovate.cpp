// Phase innovate (docs/model.md 3.3.22): R&D, innovation and patents, and suppliers catching
// up with their chain leader, on hand-made firms.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "clustersim/phases/innovate.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::CellsBuilder;
using test_support::FirmsBuilder;
using test_support::ParksBuilder;

TEST(Innovate, PatentsAndInnovationsFollowRdSpending) {
  // 20,000 IC firms with 100 m CNY revenue: R&D 1 m CNY a month each. Expected patents per
  // month 0.25 each (5,000 in all, Poisson sd 71); innovations 1 - exp(-2 x 0.12 / 12) = 1.98 %
  // (396, binomial sd 20). Tolerances: 4 sd.
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = FirmsBuilder(20000).revenue(1e8).sector(Sector::ic).cash(0.0).build();
  const Parks parks = ParksBuilder(1).area_km2(2.0).build();
  CellStats cells = CellsBuilder(1).build();
  // The park at the reference density: the spillover factor is 1.
  cells.employees[cell_index(0, 0)] = p.rd_reference_density_per_km2 * 2.0;
  StepFlows flows(1);
  innovate(firms, parks, cells, StepContext{p, Executor(2), 5, 1}, flows);
  const double rd_month = p.rd_intensity[0] * 1e8 / 12;
  EXPECT_NEAR(flows.patents[0], 20000 * rd_month / p.rd_cost_per_patent_cny, 284);
  EXPECT_NEAR(flows.pct_applications[0],
              20000 * rd_month / p.rd_cost_per_patent_cny * p.rd_pct_share, 64);
  const double innovation = 1 - std::exp(-p.rd_innovation_rate * p.rd_intensity[0] / 12);
  EXPECT_NEAR(flows.innovations[0], 20000 * innovation, 80);
  int jumped = 0;
  for (std::size_t i = 0; i < firms.size(); ++i) jumped += firms.productivity[i] > 1.0;
  EXPECT_EQ(jumped, static_cast<int>(flows.innovations[0]));  // only innovators moved up
}

TEST(Innovate, SuppliersCatchUpWithTheChainLeader) {
  Scenario s;
  s.set("firms.rd.intensity", std::vector<double>{0.0, 0.0, 0.0, 0.0});  // no innovation
  const ModelParameters p = s.parameters();
  FirmArrays firms = FirmsBuilder(1).revenue(1e8).sector(Sector::ic).cash(0.0).build();
  CellStats cells = CellsBuilder(1).chain_leader_log_productivity(0, Sector::ic, 1.0).build();
  StepFlows flows(1);
  innovate(firms, ParksBuilder(1).build(), cells, StepContext{p, Executor(1), 5, 1}, flows);
  EXPECT_NEAR(std::log(firms.productivity[0]), p.rd_chain_spillover / 12.0 * 1.0, 1e-12);
}

TEST(Innovate, PatentsPerRdRiseWithTheParksEmploymentDensity) {
  // Two parks of 10,000 IC firms each (R&D 1 m CNY a month: 2,500 expected patents at the
  // reference density, Poisson sd 50): park 1 is four times as dense, so it files 4^0.26 = 1.434
  // times as many. Tolerance: 4 sd of each count. Innovation does not change.
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = FirmsBuilder(20000)
                         .revenue(1e8)
                         .sector(Sector::ic)
                         .cash(0.0)
                         .park([](std::size_t i) { return static_cast<std::int16_t>(i % 2); })
                         .build();
  const Parks parks = ParksBuilder(2).area_km2(3.0).build();
  CellStats cells = CellsBuilder(2).build();
  const double reference = p.rd_reference_density_per_km2 * 3.0;  // full-scale employees
  cells.employees[cell_index(0, 1)] = reference;  // spread over sectors: the park's sum
  cells.employees[cell_index(1, 0)] = 3.0 * reference;
  cells.employees[cell_index(1, 3)] = 1.0 * reference;
  StepFlows flows(2);
  innovate(firms, parks, cells, StepContext{p, Executor(2), 5, 1}, flows);
  const double expected = 10000 * p.rd_intensity[0] * 1e8 / 12 / p.rd_cost_per_patent_cny;
  EXPECT_NEAR(flows.patents[cell_index(0, 0)], expected, 200);
  EXPECT_NEAR(flows.patents[cell_index(1, 0)], expected * std::pow(4.0, p.rd_density_elasticity),
              4 * std::sqrt(expected * 1.434));
  EXPECT_NEAR(p.rd_density_elasticity, 0.26, 1e-12);
  // Without spillovers an empty park's firms file as many as at the reference density.
  Scenario off;
  off.set("firms.rd.density_elasticity", 0.0);
  StepFlows none(2);
  FirmArrays again = FirmsBuilder(20000).revenue(1e8).sector(Sector::ic).cash(0.0).build();
  innovate(again, parks, CellsBuilder(2).build(), StepContext{off.parameters(), Executor(2), 5, 1},
           none);
  EXPECT_NEAR(none.patents[cell_index(0, 0)], 2 * expected, 284);
}
