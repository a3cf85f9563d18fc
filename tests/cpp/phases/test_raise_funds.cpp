// Phase raise_funds (docs/model.md 3.3.18): the base-year funds and each January's new ones, on
// hand-made firms.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "clustersim/phases/raise_funds.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;
using test_support::FundsBuilder;

namespace {

// Ten firms in parks 0 and 1; the possible parents of corporate funds are the living
// leading-industry firms with revenue at or above firms.stage.large_revenue_cny (4e8): of firms
// 7-9 (5e8), firm 8 is of `other` and firm 9 has exited, so only firm 7 (IC, park 1) qualifies.
FirmArrays one_possible_parent() {
  FirmArrays firms = FirmsBuilder(10)
                         .park([](std::size_t i) { return static_cast<std::int16_t>(i % 2); })
                         .sector([](std::size_t i) { return i == 8 ? Sector::other : Sector::ic; })
                         .revenue([](std::size_t i) { return i >= 7 ? 5e8 : 1e7; })
                         .build();
  firms.alive[9] = 0;
  return firms;
}

std::vector<int> count_by_kind(const FundArrays& funds, std::size_t from = 0) {
  std::vector<int> count(fund_kind_count, 0);
  for (std::size_t f = from; f < funds.size(); ++f) ++count[funds.kind[f]];
  return count;
}

}  // namespace

TEST(RaiseFunds, BaseYearFundsAreTheInitialCountsAtScale) {
  // vc.initial_funds {20, 150, 30} at scale 0.1: round(2), round(15), round(3) funds.
  Scenario s;
  s.set("scale", 0.1);
  const ModelParameters p = s.parameters();
  const FirmArrays firms = one_possible_parent();
  FundArrays funds;
  raise_funds(funds, firms, DealArrays{}, p, 5, 2022, 0, true);
  ASSERT_EQ(funds.size(), 20u);
  EXPECT_EQ(count_by_kind(funds), (std::vector<int>{2, 15, 3}));
  for (std::size_t f = 0; f < funds.size(); ++f) {
    const auto kind = static_cast<FundKind>(funds.kind[f]);
    EXPECT_EQ(funds.kind[f], f < 2 ? 0 : f < 17 ? 1 : 2) << f;  // kinds in order
    EXPECT_EQ(funds.id[f], static_cast<std::int64_t>(f));       // id = index
    EXPECT_EQ(funds.alive[f], 1);
    EXPECT_EQ(funds.open[f], 1);
    EXPECT_GT(funds.size_cny[f], 0.0);
    EXPECT_EQ(funds.deals_per_year[f],
              std::max<std::int32_t>(static_cast<std::int32_t>(p.vc_min_deals_per_year),
                                     static_cast<std::int32_t>(std::lround(
                                         funds.size_cny[f] / 1e9 * p.vc_deals_per_billion))))
        << f;
    EXPECT_GE(funds.deals_per_year[f], p.vc_min_deals_per_year);
    // Vintages spread over the investment period before the base year.
    EXPECT_LE(funds.vintage_year[f], 2022);
    EXPECT_GT(funds.vintage_year[f], 2022 - p.vc_investment_years);
    EXPECT_EQ(funds.investment_years[f], p.vc_investment_years);
    EXPECT_EQ(funds.lifetime_years[f], p.vc_lifetime_years);
    EXPECT_EQ(funds.hard_tech[f], p.vc_hard_tech[funds.kind[f]]);
    EXPECT_EQ(funds.invested_cny[f], 0.0);
    switch (kind) {
      case FundKind::government:  // seed to B
        EXPECT_EQ(funds.first_round[f], 0);
        EXPECT_EQ(funds.last_round[f], 2);
        break;
      case FundKind::private_vc:  // from seed or A, to later
        EXPECT_LE(funds.first_round[f], 1);
        EXPECT_EQ(funds.last_round[f], round_count - 1);
        break;
      case FundKind::corporate:  // A to later, with the parent's id, industry and park
        EXPECT_EQ(funds.first_round[f], 1);
        EXPECT_EQ(funds.last_round[f], round_count - 1);
        EXPECT_EQ(funds.parent_firm[f], 7);
        EXPECT_EQ(funds.sector[f], static_cast<std::uint8_t>(Sector::ic));
        EXPECT_EQ(funds.park[f], 1);
        break;
    }
    if (kind != FundKind::corporate) {
      EXPECT_EQ(funds.parent_firm[f], -1);
      EXPECT_EQ(funds.sector[f], 255);  // generalist
    }
  }

  // At scale 0.01 the expected counts are 0.2, 1.5 and 0.3: at least one fund of each kind
  // expected (llround: 0, 2, 0 -> 1, 2, 1); none of a kind with no initial funds.
  s.set("scale", 0.01);
  FundArrays few;
  raise_funds(few, firms, DealArrays{}, s.parameters(), 5, 2022, 0, true);
  EXPECT_EQ(count_by_kind(few), (std::vector<int>{1, 2, 1}));
  s.set("vc.initial_funds", std::vector<double>{0.0, 150.0, 30.0});
  FundArrays no_government;
  raise_funds(no_government, firms, DealArrays{}, s.parameters(), 5, 2022, 0, true);
  EXPECT_EQ(count_by_kind(no_government), (std::vector<int>{0, 2, 1}));
}

TEST(RaiseFunds, NoCorporateFundWithoutAParent) {
  // Small firms only: no possible parent, so no corporate fund, in the base year or in January,
  // however many are expected; the other kinds are raised as usual.
  Scenario s;
  s.set("scale", 0.1);
  s.set("vc.new_funds_per_year", std::vector<double>{400.0, 400.0, 400.0});
  const ModelParameters p = s.parameters();
  const FirmArrays firms = FirmsBuilder(10).revenue(1e7).build();
  FundArrays funds;
  raise_funds(funds, firms, DealArrays{}, p, 5, 2022, 0, true);
  EXPECT_EQ(count_by_kind(funds), (std::vector<int>{2, 15, 0}));
  raise_funds(funds, firms, DealArrays{}, p, 5, 2023, 13, false);
  const std::vector<int> january = count_by_kind(funds, 17);
  EXPECT_GT(january[0], 0);  // Poisson(40) each: never 0 in practice
  EXPECT_GT(january[1], 0);
  EXPECT_EQ(january[2], 0);
}

TEST(RaiseFunds, JanuaryCountsArePoissonAroundTheYearlyFlowsAndTheLeversRaiseThem) {
  // At full scale, January's counts are Poisson with means vc.new_funds_per_year {4, 25, 5};
  // with the government fund, global network and corporate VC levers at level 1, 4 + n_G,
  // 25 x (1 + f_G) and 5 + n_C (their effect sizes). Means over 1,000 seeds: the sd of a mean is
  // sqrt(lambda / 1000), and the tolerance 4 sd.
  const ModelParameters p = Scenario().parameters();
  const FirmArrays firms = one_possible_parent();
  PolicyState levers;
  levers.level[static_cast<std::size_t>(Lever::government_fund)] = 1.0;
  levers.level[static_cast<std::size_t>(Lever::global_network)] = 1.0;
  levers.level[static_cast<std::size_t>(Lever::corporate_vc)] = 1.0;
  const int seeds = 1000;
  std::vector<double> without(fund_kind_count, 0.0), with(fund_kind_count, 0.0);
  for (int seed = 0; seed < seeds; ++seed) {
    // Three funds already there: the new ones continue their ids.
    FundArrays funds =
        FundsBuilder({FundKind::government, FundKind::private_vc, FundKind::corporate}).build();
    raise_funds(funds, firms, DealArrays{}, p, static_cast<std::uint64_t>(seed), 2023, 13, false);
    for (std::size_t f = 3; f < funds.size(); ++f) {
      ASSERT_EQ(funds.id[f], static_cast<std::int64_t>(f));
      ASSERT_EQ(funds.vintage_year[f], 2023);  // a January fund's vintage is the year
      without[funds.kind[f]] += 1.0 / seeds;
    }
    FundArrays lever_funds;
    raise_funds(lever_funds, firms, DealArrays{}, p, static_cast<std::uint64_t>(seed), 2023, 13,
                false, levers);
    for (std::size_t f = 0; f < lever_funds.size(); ++f) with[lever_funds.kind[f]] += 1.0 / seeds;
  }
  const double base[3] = {4.0, 25.0, 5.0};
  const double lever[3] = {4.0 + p.government_fund_new_per_year,
                           25.0 * (1.0 + p.global_network_private_funds_gain),
                           5.0 + p.corporate_vc_new_per_year};
  for (int k = 0; k < fund_kind_count; ++k) {
    EXPECT_NEAR(without[k], base[k], 4 * std::sqrt(base[k] / seeds)) << "kind " << k;
    EXPECT_NEAR(with[k], lever[k], 4 * std::sqrt(lever[k] / seeds)) << "kind " << k;
  }
}

TEST(RaiseFunds, NewFundsSitWhereTheLastYearsNewDealsWere) {
  // January of 2024 (step 25). Firms in parks 0 and 1 (one_possible_parent: even in 0, odd in 1).
  // The new deals of the last twelve months (steps 13-24) are all in firms of park 1; a new deal
  // in park 0 two years ago and a recent follow-on in park 0 do not count. So every new guidance
  // and private fund sits in park 1, and the corporate fund in its parent's park (1).
  Scenario s;
  s.set("vc.new_funds_per_year", std::vector<double>{30.0, 30.0, 30.0});
  const ModelParameters p = s.parameters();
  const FirmArrays firms = one_possible_parent();
  DealArrays deals;
  auto add = [&](std::int32_t firm, std::int32_t step, bool follow_on) {
    const std::size_t d = deals.size();
    deals.resize(d + 1);
    deals.firm_index[d] = firm;
    deals.step[d] = step;
    deals.follow_on[d] = follow_on ? 1 : 0;
  };
  add(0, 3, false);   // park 0, two years ago
  add(1, 14, false);  // park 1
  add(3, 20, false);  // park 1
  add(2, 22, true);   // park 0, a follow-on
  add(5, 24, false);  // park 1
  FundArrays funds;
  raise_funds(funds, firms, deals, p, 5, 2024, 25, false);
  ASSERT_GT(funds.size(), 30u);  // Poisson(30) for each kind
  for (std::size_t f = 0; f < funds.size(); ++f) EXPECT_EQ(funds.park[f], 1) << "fund " << f;

  // With a recent new deal in park 0 too, both parks get new funds, in proportion to their
  // deals (1 of 4 in park 0: the count over ~60 funds is far from 0 and from all).
  add(4, 24, false);
  FundArrays mixed;
  raise_funds(mixed, firms, deals, p, 5, 2024, 25, false);
  int in_park_0 = 0;
  for (std::size_t f = 0; f < mixed.size(); ++f) in_park_0 += mixed.park[f] == 0 ? 1 : 0;
  EXPECT_GT(in_park_0, 0);
  EXPECT_LT(in_park_0, static_cast<int>(mixed.size()) / 2);
}
