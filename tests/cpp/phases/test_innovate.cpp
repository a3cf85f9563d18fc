// R&D, innovation and patents; titles; on hand-made firms.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/phases/phases.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

namespace {
FirmArrays firms_of(std::size_t n, double revenue, Sector sector) {
  FirmArrays firms;
  firms.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    firms.id[i] = static_cast<std::int64_t>(i);
    firms.sector[i] = static_cast<std::uint8_t>(sector);
    firms.alive[i] = 1;
    firms.revenue_cny[i] = revenue;
    firms.productivity[i] = 1.0;
    firms.employees[i] = 10;
    firms.age_months[i] = 120;
    firms.stage[i] = static_cast<std::uint8_t>(Stage::growth);
    firms.incubator[i] = -1;
  }
  return firms;
}
}  // namespace

TEST(Innovate, PatentsAndInnovationsFollowRdSpending) {
  // 20,000 IC firms with 100 m CNY revenue: R&D 1 m CNY a month each. Expected patents per
  // month 0.25 each (5,000 in all, Poisson sd 71); innovations 1 - exp(-2 x 0.12 / 12) = 1.98 %
  // (396, binomial sd 20). Tolerances: 4 sd.
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = firms_of(20000, 1e8, Sector::ic);
  CellStats cells;
  cells.resize(1);
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
  FirmArrays firms = firms_of(1, 1e8, Sector::ic);
  CellStats cells;
  cells.resize(1);
  cells.chain_leader_log_productivity[0] = 1.0;
  StepFlows flows(1);
  innovate(firms, cells, StepContext{p, Executor(1), 5, 1}, flows);
  EXPECT_NEAR(std::log(firms.productivity[0]), p.rd_chain_spillover / 12.0 * 1.0, 1e-12);
}

TEST(AwardTitles, ByTheDocumentedCriteria) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = firms_of(5, 2e8, Sector::ic);
  firms.revenue_cny[0] = 5e10;  // the largest IC firm of park 0, above 20 bn: chain leader
  firms.revenue_cny[1] = 3e10;  // large, old and the most productive: hidden champion
  firms.productivity[1] = 10.0;
  firms.revenue_cny[2] = 2e8;  // an SME with IC's R&D intensity, 10 years old: little giant
  firms.revenue_cny[3] = 2e8;  // the same, but 2 years old: no title
  firms.age_months[3] = 24;
  firms.stage[4] = static_cast<std::uint8_t>(Stage::unicorn);  // set by its valuation: kept
  award_titles(firms, p, Executor(2));
  EXPECT_EQ(firms.stage[0], static_cast<std::uint8_t>(Stage::chain_leader));
  EXPECT_EQ(firms.stage[1], static_cast<std::uint8_t>(Stage::hidden_champion));
  EXPECT_EQ(firms.stage[2], static_cast<std::uint8_t>(Stage::little_giant));
  EXPECT_EQ(firms.stage[3], static_cast<std::uint8_t>(Stage::growth));
  EXPECT_EQ(firms.stage[4], static_cast<std::uint8_t>(Stage::unicorn));
  // A little giant that shrinks below the bound returns to its size class.
  firms.revenue_cny[2] = 5e7;
  award_titles(firms, p, Executor(2));
  EXPECT_EQ(firms.stage[2], static_cast<std::uint8_t>(Stage::growth));
}

TEST(AwardTitles, AUnicornDoesNotBlockItsCellsChainLeader) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = firms_of(2, 6e10, Sector::ai);
  firms.stage[0] = static_cast<std::uint8_t>(Stage::unicorn);
  firms.revenue_cny[0] = 9e10;  // the largest, but a (private) unicorn
  award_titles(firms, p, Executor(2));
  EXPECT_EQ(firms.stage[0], static_cast<std::uint8_t>(Stage::unicorn));
  EXPECT_EQ(firms.stage[1], static_cast<std::uint8_t>(Stage::chain_leader));
}
