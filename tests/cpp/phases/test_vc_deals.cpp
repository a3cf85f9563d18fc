// Venture capital on hand-made worlds: rounds, follow-ons, leverage, exits and write-offs.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/phases/phases.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

namespace {

// One young, productive IC firm in park 0 that will seek a round this month (seek rate huge).
FirmArrays one_seeker(double productivity = 4.0) {
  FirmArrays firms;
  firms.resize(1);
  firms.id[0] = 42;
  firms.sector[0] = static_cast<std::uint8_t>(Sector::ic);
  firms.alive[0] = 1;
  firms.revenue_cny[0] = 2e7;
  firms.productivity[0] = productivity;
  firms.employees[0] = 10;
  firms.age_months[0] = 24;
  firms.cash_cny[0] = 1e6;
  firms.incubator[0] = -1;
  return firms;
}

FundArrays funds_of(std::vector<FundKind> kinds, double size_cny) {
  FundArrays funds;
  funds.resize(kinds.size());
  for (std::size_t f = 0; f < kinds.size(); ++f) {
    funds.id[f] = static_cast<std::int64_t>(f);
    funds.kind[f] = static_cast<std::uint8_t>(kinds[f]);
    funds.alive[f] = 1;
    funds.open[f] = 1;
    funds.sector[f] = 255;
    funds.hard_tech[f] = 1.0;
    funds.first_round[f] = 0;
    funds.last_round[f] = round_count - 1;
    funds.vintage_year[f] = 2022;
    funds.investment_years[f] = 5;
    funds.lifetime_years[f] = 10;
    funds.deals_per_year[f] = 10;
    funds.size_cny[f] = size_cny;
    funds.parent_firm[f] = -1;
  }
  return funds;
}

const std::vector<double> kFlat(sector_count, 0.0);  // no sector momentum

Scenario eager() {
  Scenario s;
  s.set("vc.seek_rate", 12.0);  // monthly probability 1: every eligible firm seeks
  s.set("vc.signal_noise", 0.0);
  return s;
}

}  // namespace

TEST(VcDeals, ARoundAddsCashStakesAndAValuation) {
  const ModelParameters p = eager().parameters();
  FirmArrays firms = one_seeker();
  FundArrays funds = funds_of({FundKind::private_vc}, 1e9);
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, kFlat, next_deal, flows);
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
  Scenario s = eager();
  s.set("vc.max_ticket_share", 0.01);  // tickets of at most 1 % of a fund
  const ModelParameters p = s.parameters();
  FirmArrays firms = one_seeker();
  // Three small funds: none can fill the round alone.
  FundArrays funds =
      funds_of({FundKind::government, FundKind::private_vc, FundKind::private_vc}, 2e8);
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, kFlat, next_deal, flows);
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
  const ModelParameters p = eager().parameters();
  FirmArrays firms = one_seeker();
  FundArrays funds = funds_of({FundKind::private_vc, FundKind::private_vc}, 1e9);
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, kFlat, next_deal, flows);
  ASSERT_EQ(deals.size(), 1u);
  const std::int64_t first_investor = deals.fund[0];
  // A year later the firm raises its A round: the first investor takes its pro-rata share.
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 13}, 2023, kFlat, next_deal, flows);
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
  Scenario s = eager();
  s.set("vc.screening", std::vector<double>{9.0, 9.0, 9.0});  // nobody passes the screen
  const ModelParameters p = s.parameters();
  FirmArrays firms = one_seeker();
  FundArrays funds = funds_of({FundKind::private_vc}, 1e9);
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, kFlat, next_deal, flows);
  EXPECT_EQ(deals.size(), 0u);
  EXPECT_EQ(firms.rounds[0], 0);
  EXPECT_EQ(firms.cash_cny[0], 1e6);
}

TEST(VcExits, WriteOffsListingAndUnicorns) {
  Scenario s = eager();
  s.set("vc.ipo_rate", 12.0);  // an eligible firm lists at once
  s.set("vc.ipo_valuation_cny", 1e10);
  const ModelParameters p = s.parameters();
  FirmArrays firms = one_seeker();
  firms.resize(2);
  firms.id[1] = 43;
  firms.alive[1] = 1;
  firms.sector[1] = static_cast<std::uint8_t>(Sector::ai);
  firms.revenue_cny[1] = 2e7;
  firms.productivity[1] = 1.0;
  firms.age_months[1] = 60;
  firms.incubator[1] = -1;
  FundArrays funds = funds_of({FundKind::private_vc}, 1e10);
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  firms.age_months[0] = 60;
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, kFlat, next_deal, flows);
  ASSERT_EQ(deals.size(), 2u);
  // Firm 42 triples its revenue: marked at 3x post-money; above US$1 bn it is a unicorn.
  firms.post_money_cny[0] = 4e9;
  firms.revenue_cny[0] = 3 * firms.revenue_at_round_cny[0];
  firms.alive[1] = 0;  // firm 43 exited
  vc_exits(firms, funds, deals, StepContext{p, Executor(1), 1, 2}, flows);
  EXPECT_DOUBLE_EQ(firms.valuation_cny[0], 1.2e10);
  EXPECT_EQ(firms.exit_route[0], 1);  // listed at once (valuation above 10 bn, age 5 years)
  EXPECT_NE(firms.stage[0],
            static_cast<std::uint8_t>(Stage::unicorn));  // listed: no longer private
  EXPECT_EQ(deals.status[0], static_cast<std::uint8_t>(DealStatus::exited));
  EXPECT_NEAR(deals.proceeds_cny[0], deals.stake[0] * 1.2e10, 1.0);
  EXPECT_NEAR(funds.realized_cny[0], deals.proceeds_cny[0], 1e-6);
  EXPECT_EQ(deals.status[1], static_cast<std::uint8_t>(DealStatus::written_off));
  EXPECT_EQ(deals.proceeds_cny[1], 0.0);
  EXPECT_EQ(flows.ipos[0], 1.0);
  EXPECT_EQ(flows.write_offs[cell_index(0, static_cast<int>(Sector::ai))], 1.0);

  // A private firm above the threshold is a unicorn, and stops being one below it.
  Scenario quiet = eager();
  quiet.set("vc.ipo_rate", 0.0);
  quiet.set("vc.acquisition_rate", 0.0);
  const ModelParameters q = quiet.parameters();
  FirmArrays one = one_seeker();
  FundArrays fund = funds_of({FundKind::private_vc}, 1e10);
  DealArrays held;
  vc_deals(one, fund, held, StepContext{q, Executor(1), 1, 1}, 2022, kFlat, next_deal, flows);
  one.post_money_cny[0] = 2 * q.vc_unicorn_valuation_usd * q.vc_cny_per_usd;
  vc_exits(one, fund, held, StepContext{q, Executor(1), 1, 2}, flows);
  EXPECT_EQ(one.stage[0], static_cast<std::uint8_t>(Stage::unicorn));
  one.revenue_cny[0] = 0.25 * one.revenue_at_round_cny[0];
  vc_exits(one, fund, held, StepContext{q, Executor(1), 1, 3}, flows);
  EXPECT_EQ(one.stage[0], static_cast<std::uint8_t>(Stage::growth));
}

TEST(CloseFundYear, MarksHoldingsAndClosesFundsAtTheEndOfTheirLife) {
  const ModelParameters p = eager().parameters();
  FirmArrays firms = one_seeker();
  FundArrays funds = funds_of({FundKind::private_vc}, 1e9);
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, kFlat, next_deal, flows);
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

TEST(VcDeals, SectorMomentumRaisesTheSignal) {
  // The firm's own signal is log 4 + 0.5 log 10 = 2.54; a screen at 3 turns it away unless its
  // park and industry grew: momentum 0.3 adds 2 x 0.3 = 0.6.
  Scenario s = eager();
  s.set("vc.screening", std::vector<double>{3.0, 3.0, 3.0});
  const ModelParameters p = s.parameters();
  StepFlows flows(1);
  std::int64_t next_deal = 0;
  for (double momentum : {0.0, 0.3}) {
    FirmArrays firms = one_seeker();
    FundArrays funds = funds_of({FundKind::private_vc}, 1e9);
    DealArrays deals;
    const std::vector<double> growth(sector_count, momentum);
    vc_deals(firms, funds, deals, StepContext{p, Executor(1), 1, 1}, 2022, growth, next_deal,
             flows);
    EXPECT_EQ(deals.size(), momentum > 0 ? 1u : 0u) << momentum;
  }
}
