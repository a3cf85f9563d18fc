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

TEST(Innovate, PatentsAndInnovationsFollowRdSpending) {
  // 20,000 IC firms with 100 m CNY revenue: R&D 1 m CNY a month each. Expected patents per
  // month 0.25 each (5,000 in all, Poisson sd 71); innovations 1 - exp(-2 x 0.12 / 12) = 1.98 %
  // (396, binomial sd 20). Tolerances: 4 sd.
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = FirmsBuilder(20000).revenue(1e8).sector(Sector::ic).cash(0.0).build();
  CellStats cells = CellsBuilder(1).build();
  StepFlows flows(1);
  innovate(firms, cells, StepContext{p, Executor(2), 5, 1}, flows);
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
  innovate(firms, cells, StepContext{p, Executor(1), 5, 1}, flows);
  EXPECT_NEAR(std::log(firms.productivity[0]), p.rd_chain_spillover / 12.0 * 1.0, 1e-12);
}
