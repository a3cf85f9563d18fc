// Phase vc_deals (docs/model.md 3.3.20) on hand-made worlds: rounds, follow-ons, syndicates,
// guidance money and momentum.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "clustersim/phases/vc_deals.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::eager_vc;
using test_support::flat_momentum;
using test_support::FundsBuilder;
using test_support::vc_seeker;

TEST(VcDeals, ARoundAddsCashStakesAndAValuation) {
  const ModelParameters p = eager_vc().parameters();
  FirmArrays firms = vc_seeker().build();
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e9).build();
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(), next_deal,
           flows);
  ASSERT_EQ(deals.size(), 1u);
  const double signal = std::log(4.0) + 0.5 * std::log(2e7 / p.entry_median_revenue_cny);
  const double target = p.vc_round_size_cny[0] * std::clamp(std::exp(signal / 2), 0.3, 3.0);
  EXPECT_NEAR(deals.amount_cny[0], target, 1e-6 * target);
  EXPECT_NEAR(firms.post_money_cny[0], target / p.vc_dilution[0], 1e-6 * target);
  EXPECT_NEAR(deals.stake[0], p.vc_dilution[0], 1e-12);
  EXPECT_NEAR(firms.cash_cny[0], 1e6 + target, 1e-6 * target);
  EXPECT_EQ(firms.rounds[0], 1);
  EXPECT_EQ(firms.last_round_step[0], 1);
  EXPECT_EQ(funds.deals_this_year[0], 1);
  EXPECT_EQ(flows.vc_rounds[0], 1.0);
  EXPECT_NEAR(flows.vc_invested_by_round[0], target, 1e-6 * target);  // park 0, seed
}

TEST(VcDeals, LargeRoundsAreSyndicatedAndGuidanceMoneyCrowdsInPrivateMoney) {
  Scenario s = eager_vc();
  s.set("vc.max_ticket_share", 0.01);  // tickets of at most 1 % of a fund
  const ModelParameters p = s.parameters();
  FirmArrays firms = vc_seeker().build();
  // Three small funds: none can fill the round alone.
  FundArrays funds =
      FundsBuilder({FundKind::government, FundKind::private_vc, FundKind::private_vc})
          .size(2e8)
          .build();
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(), next_deal,
           flows);
  ASSERT_EQ(deals.size(), 3u);  // a lead and two co-investors
  double from_funds = 0, government = 0;
  for (std::size_t d = 0; d < deals.size(); ++d) {
    EXPECT_LE(deals.amount_cny[d], 0.01 * 2e8 + 1e-6);
    from_funds += deals.amount_cny[d];
    if (funds.kind[static_cast<std::size_t>(deals.fund[d])] == 0) government += deals.amount_cny[d];
  }
  EXPECT_GT(government, 0);
  EXPECT_NEAR(firms.vc_raised_cny[0], from_funds + p.vc_government_leverage * government, 1e-3);
}

TEST(VcDeals, ExistingInvestorsFollowOnFromReserves) {
  const ModelParameters p = eager_vc().parameters();
  FirmArrays firms = vc_seeker().build();
  FundArrays funds = FundsBuilder({FundKind::private_vc, FundKind::private_vc}).size(1e9).build();
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(), next_deal,
           flows);
  ASSERT_EQ(deals.size(), 1u);
  const std::int64_t first_investor = deals.fund[0];
  // As soon as it may raise again (13 months later) the firm raises its A round: the first
  // investor takes its pro-rata share.
  const auto next_round = static_cast<std::uint32_t>(1 + p.vc_months_between_rounds);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, next_round}, 2023, flat_momentum(),
           next_deal, flows);
  ASSERT_GE(deals.size(), 3u);
  EXPECT_EQ(deals.fund[1], first_investor);
  EXPECT_EQ(deals.follow_on[1], 1);
  EXPECT_EQ(deals.round[1], 1);
  EXPECT_GT(funds.follow_on_cny[static_cast<std::size_t>(first_investor)], 0.0);
  EXPECT_EQ(firms.rounds[0], 2);
  // The seed stake was diluted by the A round; the follow-on fund is in the round once only.
  EXPECT_NEAR(deals.stake[0], p.vc_dilution[0] * (1 - p.vc_dilution[1]), 1e-12);
  for (std::size_t d = 2; d < deals.size(); ++d) EXPECT_NE(deals.fund[d], first_investor);
}

TEST(VcDeals, NoRoundWithoutAWillingInvestor) {
  Scenario s = eager_vc();
  s.set("vc.screening", std::vector<double>{9.0, 9.0, 9.0});  // nobody passes the screen
  const ModelParameters p = s.parameters();
  FirmArrays firms = vc_seeker().build();
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e9).build();
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(), next_deal,
           flows);
  EXPECT_EQ(deals.size(), 0u);
  EXPECT_EQ(firms.rounds[0], 0);
  EXPECT_EQ(firms.cash_cny[0], 1e6);
}

TEST(VcDeals, SectorMomentumRaisesTheSignal) {
  // The firm's own signal is log 4 + 0.5 log 10 = 2.54; a screen at 3 turns it away unless its
  // park and industry grew: momentum 0.3 adds 2 x 0.3 = 0.6.
  Scenario s = eager_vc();
  s.set("vc.screening", std::vector<double>{3.0, 3.0, 3.0});
  const ModelParameters p = s.parameters();
  StepFlows flows(1);
  std::int64_t next_deal = 0;
  for (double momentum : {0.0, 0.3}) {
    FirmArrays firms = vc_seeker().build();
    FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e9).build();
    DealArrays deals;
    const std::vector<double> growth(sector_count, momentum);
    vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, growth, next_deal,
             flows);
    EXPECT_EQ(deals.size(), momentum > 0 ? 1u : 0u) << momentum;
  }
}
