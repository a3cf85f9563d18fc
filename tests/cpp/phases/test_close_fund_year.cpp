// Phases close_fund_year and start_fund_year (docs/model.md 3.3.21): holdings marked, funds
// closed at the end of their life, counters started again.
#include <gtest/gtest.h>

#include "clustersim/phases/close_fund_year.hpp"
#include "clustersim/phases/vc_deals.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::eager_vc;
using test_support::flat_momentum;
using test_support::FundsBuilder;
using test_support::vc_seeker;

TEST(CloseFundYear, MarksHoldingsAndClosesFundsAtTheEndOfTheirLife) {
  const ModelParameters p = eager_vc().parameters();
  FirmArrays firms = vc_seeker().build();
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e9).build();
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(),
           next_deal, flows);
  firms.valuation_cny[0] = 1e9;
  close_fund_year(funds, deals, firms, p, 2022);
  EXPECT_NEAR(funds.nav_cny[0], deals.stake[0] * 1e9, 1e-3);
  EXPECT_EQ(funds.deals_this_year[0], 1);  // kept for December's snapshot
  start_fund_year(funds);
  EXPECT_EQ(funds.deals_this_year[0], 0);
  EXPECT_EQ(funds.open[0], 1);
  close_fund_year(funds, deals, firms, p, 2031);  // vintage 2022 + 10 years
  EXPECT_EQ(funds.open[0], 0);
}
