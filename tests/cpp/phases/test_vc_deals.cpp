// Phase vc_deals (docs/model.md 3.3.20) on hand-made worlds: rounds, follow-ons, syndicates,
// guidance money and momentum.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "clustersim/model/rules.hpp"
#include "clustersim/phases/vc_deals.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::eager_vc;
using test_support::flat_momentum;
using test_support::FundsBuilder;
using test_support::vc_seeker;
using test_support::vc_seekers;

TEST(VcDeals, ARoundAddsCashStakesAndAValuation) {
  const ModelParameters p = eager_vc().parameters();
  FirmArrays firms = vc_seeker().build();
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e9).build();
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(),
           next_deal, flows);
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
  vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(),
           next_deal, flows);
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
  vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(),
           next_deal, flows);
  ASSERT_EQ(deals.size(), 1u);
  const std::int64_t first_investor = deals.fund[0];
  // As soon as it may raise again (13 months later) the firm raises its A round: the first
  // investor takes its pro-rata share.
  const auto next_round = static_cast<std::uint32_t>(1 + p.vc_months_between_rounds);
  vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, next_round}, 2023,
           flat_momentum(), next_deal, flows);
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
  vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(),
           next_deal, flows);
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
    vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, 1}, 2022, growth,
             next_deal, flows);
    EXPECT_EQ(deals.size(), momentum > 0 ? 1u : 0u) << momentum;
  }
}

TEST(VcDeals, AFundTakesPartInFarRoundsAtTheProximityDecay) {
  // 4,000 IC firms in park 1 each seek a round; the only fund sits in park 0, 161 km away (ten
  // times the reference distance), with room for every deal. At the default elasticity log 2 /
  // log 10 it leads a round with probability 10^-0.301 = 0.49996 (Sorenson & Stuart: ten times
  // farther, half as often). The share's sd is sqrt(0.25 / 4000) = 0.0079; the tolerance 0.03
  // is over 3.5 sd.
  const ModelParameters p = eager_vc().parameters();
  const std::size_t n = 4000;
  FirmArrays firms = vc_seeker().park(1).build();
  FirmArrays many = vc_seekers(n).park(1).build();
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e12).build();
  funds.deals_per_year[0] = static_cast<std::int32_t>(n);
  funds.park[0] = 0;
  Parks parks;
  parks.id = {"near", "far"};
  parks.distance_km = {0.0, 161.0, 161.0, 0.0};
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(2);
  vc_deals(many, funds, deals, parks, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(2),
           next_deal, flows);
  const double share = static_cast<double>(deals.size()) / static_cast<double>(n);
  EXPECT_NEAR(vc_proximity(161.0, p), 0.5, 1e-3);
  EXPECT_NEAR(share, vc_proximity(161.0, p), 0.03);

  // Within the reference distance, and without distances (hand-built parks), no round is
  // declined: the single firm gets its round at 10 km as it does with no parks at all.
  parks.distance_km = {0.0, 10.0, 10.0, 0.0};
  DealArrays near_deals;
  next_deal = 0;
  StepFlows near_flows(2);
  vc_deals(firms, funds, near_deals, parks, StepContext{p, Executor(1), 1, 1}, 2022,
           flat_momentum(2), next_deal, near_flows);
  EXPECT_EQ(near_deals.size(), 1u);
  EXPECT_DOUBLE_EQ(vc_proximity(10.0, p), 1.0);
}

TEST(VcDeals, AtZeroElasticityDistanceChangesNoRound) {
  // The proximity rule off: the same world gives the same deals whether the fund is next door
  // or 161 km away (no draw is added for a leading-sector firm, so the streams line up too).
  Scenario s = eager_vc();
  s.set("vc.proximity_elasticity", 0.0);
  const ModelParameters p = s.parameters();
  auto run = [&](double distance_km) {
    FirmArrays firms = vc_seekers(200)
                           .park(1)
                           .productivity([](std::size_t i) { return 1.0 + 0.02 * double(i); })
                           .build();
    FundArrays funds = FundsBuilder({FundKind::private_vc, FundKind::government}).build();
    Parks parks;
    parks.id = {"home", "other"};
    parks.distance_km = {0.0, distance_km, distance_km, 0.0};
    DealArrays deals;
    std::int64_t next_deal = 0;
    StepFlows flows(2);
    vc_deals(firms, funds, deals, parks, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(2),
             next_deal, flows);
    return std::vector<std::int64_t>(deals.firm.begin(), deals.firm.end());
  };
  const std::vector<std::int64_t> near = run(1.0);
  EXPECT_FALSE(near.empty());
  EXPECT_EQ(near, run(161.0));
}

TEST(VcDeals, DealFlowFollowsTheFundsWithinAParksReach) {
  // 4,000 IC firms in each of two parks 161 km apart; the one fund sits in park 0, with room
  // for every deal. Reach: 1 in park 0, w = 0.49996 in park 1; the firms are as many in each,
  // so the mean reach is (1 + w) / 2 and the deal-flow factors are 2 / (1 + w) and 2w / (1 + w)
  // (1.3334, 0.6666). At vc.seek_rate 0.6 a firm of park 0 seeks with monthly probability
  // mp(0.6 x 1.3334) and one of park 1 with mp(0.6 x 0.6666), and the fund then declines a
  // firm of park 1 half the time. Expected rounds 502 and 83; sd 21 and 9; tolerance 4 sd.
  Scenario s = eager_vc();
  s.set("vc.seek_rate", 0.6);
  const ModelParameters p = s.parameters();
  const std::size_t n = 4000;
  FirmArrays firms =
      vc_seekers(2 * n)
          .park([n](std::size_t i) { return static_cast<std::int16_t>(i < n ? 0 : 1); })
          .build();
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e12).build();
  funds.deals_per_year[0] = static_cast<std::int32_t>(2 * n);
  Parks parks;
  parks.id = {"home", "far"};
  parks.distance_km = {0.0, 161.0, 161.0, 0.0};
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(2);
  vc_deals(firms, funds, deals, parks, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(2),
           next_deal, flows);
  const double w = vc_proximity(161.0, p);
  const double home = double(n) * monthly_probability(0.6 * 2.0 / (1.0 + w));
  const double far = double(n) * monthly_probability(0.6 * 2.0 * w / (1.0 + w)) * w;
  const double rounds_home = flows.vc_rounds[cell_index(0, static_cast<int>(Sector::ic))];
  const double rounds_far = flows.vc_rounds[cell_index(1, static_cast<int>(Sector::ic))];
  EXPECT_NEAR(rounds_home, home, 4.0 * std::sqrt(home));
  EXPECT_NEAR(rounds_far, far, 4.0 * std::sqrt(far));
  EXPECT_GT(rounds_home, 4.0 * rounds_far);  // 6x expected: the network, not noise
}
