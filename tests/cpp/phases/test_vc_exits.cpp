// Phase vc_exits (docs/model.md 3.3.19) on hand-made worlds: write-offs, listing, unicorns and
// acquisition prices.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "clustersim/phases/vc_deals.hpp"
#include "clustersim/phases/vc_exits.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::eager_vc;
using test_support::FirmsBuilder;
using test_support::flat_momentum;
using test_support::FundsBuilder;
using test_support::vc_seeker;

TEST(VcExits, WriteOffsListingAndUnicorns) {
  Scenario s = eager_vc();
  s.set("vc.ipo_rate", 12.0);  // an eligible firm lists at once
  s.set("vc.ipo_valuation_cny", 1e10);
  const ModelParameters p = s.parameters();
  FirmArrays firms = vc_seeker().build();
  firms.resize(2);
  firms.id[1] = 43;
  firms.alive[1] = 1;
  firms.sector[1] = static_cast<std::uint8_t>(Sector::ai);
  firms.revenue_cny[1] = 2e7;
  firms.productivity[1] = 1.0;
  firms.age_months[1] = 60;
  firms.incubator[1] = -1;
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e10).build();
  DealArrays deals;
  std::int64_t next_deal = 0;
  StepFlows flows(1);
  firms.age_months[0] = 60;
  vc_deals(firms, funds, deals, Parks{}, StepContext{p, Executor(1), 1, 1}, 2022, flat_momentum(),
           next_deal, flows);
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
  Scenario quiet = eager_vc();
  quiet.set("vc.ipo_rate", 0.0);
  quiet.set("vc.acquisition_rate", 0.0);
  const ModelParameters q = quiet.parameters();
  FirmArrays one = vc_seeker().build();
  FundArrays fund = FundsBuilder({FundKind::private_vc}).size(1e10).build();
  DealArrays held;
  vc_deals(one, fund, held, Parks{}, StepContext{q, Executor(1), 1, 1}, 2022, flat_momentum(),
           next_deal, flows);
  one.post_money_cny[0] = 2 * q.vc_unicorn_valuation_usd * q.vc_cny_per_usd;
  vc_exits(one, fund, held, StepContext{q, Executor(1), 1, 2}, flows);
  EXPECT_EQ(one.stage[0], static_cast<std::uint8_t>(Stage::unicorn));
  one.revenue_cny[0] = 0.25 * one.revenue_at_round_cny[0];
  vc_exits(one, fund, held, StepContext{q, Executor(1), 1, 3}, flows);
  EXPECT_EQ(one.stage[0], static_cast<std::uint8_t>(Stage::growth));
  // Worth a unicorn again, but older than the lists allow (10 years): not a unicorn.
  one.revenue_cny[0] = one.revenue_at_round_cny[0];
  one.age_months[0] = static_cast<std::int32_t>(q.vc_unicorn_max_age_years * 12) + 1;
  vc_exits(one, fund, held, StepContext{q, Executor(1), 1, 4}, flows);
  EXPECT_NE(one.stage[0], static_cast<std::uint8_t>(Stage::unicorn));
  one.age_months[0] -= 1;
  vc_exits(one, fund, held, StepContext{q, Executor(1), 1, 5}, flows);
  EXPECT_EQ(one.stage[0], static_cast<std::uint8_t>(Stage::unicorn));
}

namespace {

// n firms of age 60 months with one round each (post-money 1e8 at revenue 1e7, the mark) and
// one deal of stake 0.2, none able to list: each month some are acquired.
struct AcquisitionWorld {
  FirmArrays firms;
  FundArrays funds = FundsBuilder({FundKind::private_vc}).size(1e12).build();
  DealArrays deals;

  explicit AcquisitionWorld(std::size_t n)
      : firms(FirmsBuilder(n).first_id(1).stage(Stage::growth).age_months(60).build()) {
    deals.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      firms.rounds[i] = 1;
      firms.last_round_step[i] = 1;
      firms.post_money_cny[i] = 1e8;
      firms.revenue_at_round_cny[i] = firms.revenue_cny[i];
      firms.vc_raised_cny[i] = 2e7;
      deals.id[i] = static_cast<std::int64_t>(i);
      deals.fund[i] = 0;
      deals.firm[i] = firms.id[i];
      deals.firm_index[i] = static_cast<std::int32_t>(i);
      deals.amount_cny[i] = 2e7;
      deals.stake[i] = 0.2;
      deals.status[i] = static_cast<std::uint8_t>(DealStatus::active);
      deals.alive[i] = 1;
    }
  }
};

Scenario acquirers(double log_mean, double log_sd) {
  Scenario s;
  s.set("vc.ipo_rate", 0.0);
  s.set("vc.acquisition_rate", 12.0);  // monthly probability 1 - 1/e
  s.set("vc.acquisition_price_log_mean", log_mean);
  s.set("vc.acquisition_price_log_sd", log_sd);
  return s;
}

}  // namespace

TEST(VcExits, AnAcquirerPaysTheMarkTimesAFixedFactor) {
  // Without dispersion every acquisition pays exactly a quarter of the mark (1e8).
  const ModelParameters p = acquirers(std::log(0.25), 0.0).parameters();
  AcquisitionWorld world(50);
  StepFlows flows(1);
  vc_exits(world.firms, world.funds, world.deals, StepContext{p, Executor(1), 1, 2}, flows);
  std::size_t acquired = 0;
  for (std::size_t i = 0; i < world.firms.size(); ++i) {
    if (world.firms.exit_route[i] != 2) {
      EXPECT_EQ(world.deals.status[i], static_cast<std::uint8_t>(DealStatus::active));
      continue;
    }
    ++acquired;
    EXPECT_DOUBLE_EQ(world.firms.valuation_cny[i], 1e8);  // the mark itself is unchanged
    EXPECT_DOUBLE_EQ(world.deals.proceeds_cny[i], 0.2 * 0.25 * 1e8);
  }
  EXPECT_GT(acquired, 0u);
  EXPECT_EQ(flows.acquisitions[0], static_cast<double>(acquired));
  EXPECT_DOUBLE_EQ(world.funds.realized_cny[0], acquired * 0.2 * 0.25 * 1e8);
}

TEST(VcExits, AcquisitionPricesAreLognormalAroundTheMark) {
  // 4,000 firms, ~2,500 acquired: the log price ratio's mean has a standard error of
  // 0.9 / sqrt(2500) = 0.018 and its sd one of ~0.9 / sqrt(5000) = 0.013, so 0.06 is over
  // four standard errors of either.
  const ModelParameters p = acquirers(-1.2, 0.9).parameters();
  AcquisitionWorld world(4000);
  StepFlows flows(1);
  vc_exits(world.firms, world.funds, world.deals, StepContext{p, Executor(1), 7, 2}, flows);
  std::vector<double> log_ratio;
  for (std::size_t i = 0; i < world.firms.size(); ++i) {
    if (world.firms.exit_route[i] != 2) continue;
    log_ratio.push_back(std::log(world.deals.proceeds_cny[i] / (0.2 * 1e8)));
  }
  ASSERT_GT(log_ratio.size(), 2000u);
  const double n = static_cast<double>(log_ratio.size());
  double mean = 0.0;
  for (double x : log_ratio) mean += x / n;
  double variance = 0.0;
  for (double x : log_ratio) variance += (x - mean) * (x - mean) / (n - 1.0);
  EXPECT_NEAR(mean, -1.2, 0.06);
  EXPECT_NEAR(std::sqrt(variance), 0.9, 0.06);
}
