// Phase grow_firms (docs/model.md 3.3.2) on small hand-made worlds, with parameters chosen so
// the expected outcome is exact or has a known distribution.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/phases/grow_firms.hpp"
#include "clustersim/phases/measure_cells.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;
using test_support::ParksBuilder;
using test_support::quiet_growth;

TEST(GrowFirms, DeterministicDriftCompoundsToTheAnnualRate) {
  const ModelParameters p = quiet_growth(0.12).parameters();
  Parks parks = ParksBuilder(2).floor_space(1e12).build();
  FirmArrays firms =
      FirmsBuilder(3).revenue(1e8).sector(Sector::other).build();  // labour adjusts at once
  CellStats cells;
  const Executor executor(2);
  measure_cells(firms, parks, p, executor, cells);
  for (std::uint32_t step = 1; step <= 12; ++step) {
    grow_firms(firms, parks, cells, StepContext{p, executor, 1, step});
  }
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(firms.revenue_cny[i], 1e8 * std::exp(0.12), 1e-6 * 1e8);
    EXPECT_EQ(firms.age_months[i], 132);
    EXPECT_EQ(firms.employees[i], static_cast<std::int32_t>(std::round(
                                      firms.revenue_cny[i] / revenue_per_employee_cny(p, 12))));
  }
  // Cash: the margin on each month's revenue.
  EXPECT_GT(firms.cash_cny[0], 1e9);
}

TEST(GrowFirms, ACongestedParkLowersEveryFirmsDriftByThePenalty) {
  const ModelParameters p = quiet_growth(0.5).parameters();
  const FirmArrays start = FirmsBuilder(2).revenue(1e8).sector(Sector::other).build();
  CellStats cells;
  const Executor executor(1);
  // Floor space such that occupancy is exactly 1 (congestion 1): drift 0.5 - penalty 0.5 = 0.
  Parks parks = ParksBuilder(2).floor_space(1.0).build();
  measure_cells(start, parks, p, executor, cells);
  parks.floor_space_m2[0] = cells.used_floor_space_m2[0];
  measure_cells(start, parks, p, executor, cells);
  ASSERT_DOUBLE_EQ(cells.occupancy[0], 1.0);
  FirmArrays firms = start;
  grow_firms(firms, parks, cells, StepContext{p, executor, 1, 1});
  EXPECT_DOUBLE_EQ(firms.revenue_cny[0], 1e8);
  EXPECT_DOUBLE_EQ(firms.revenue_cny[1], 1e8);
}

TEST(GrowFirms, VolatilityFallsWithSize) {
  // sigma(R) = sigma_ref (R / R_ref)^-beta: the spread of one month's log growth among 20,000
  // small firms against 20,000 firms 10^4 times larger; ratio 10^(4 beta) = 5.25 for beta 0.18.
  Scenario s = quiet_growth(0.0);
  s.set("firms.growth.volatility_ref", 0.35);
  s.set("firms.growth.volatility_min", 0.0);
  s.set("firms.growth.volatility_max", 10.0);
  const ModelParameters p = s.parameters();
  Parks parks = ParksBuilder(2).floor_space(1e15).build();
  auto spread = [&](double revenue) {
    FirmArrays firms = FirmsBuilder(20000).revenue(revenue).sector(Sector::other).build();
    CellStats cells;
    const Executor executor(2);
    measure_cells(firms, parks, p, executor, cells);
    grow_firms(firms, parks, cells, StepContext{p, executor, 4, 1});
    double sum = 0, sum2 = 0;
    for (std::size_t i = 0; i < firms.size(); ++i) {
      const double g = std::log(firms.revenue_cny[i] / revenue);
      sum += g;
      sum2 += g * g;
    }
    const double n = static_cast<double>(firms.size());
    return std::sqrt(sum2 / n - (sum / n) * (sum / n));
  };
  const double ratio = spread(1e6) / spread(1e10);
  // Sample sd of Laplace draws with n = 20,000 has relative error ~ 1.2 %; 5 % covers both.
  EXPECT_NEAR(ratio, std::pow(1e4, 0.18), 0.05 * std::pow(1e4, 0.18));
}

namespace {

// One IC firm with ten talent and exactly the revenue they can produce in month `step` (slack
// included), after one grow_firms of that month.
FirmArrays grow_ten_staff_firm_at_capacity(const ModelParameters& p, std::uint32_t step) {
  Parks parks = ParksBuilder(2).floor_space(1e12).build();
  FirmArrays firms =
      FirmsBuilder(1)
          .revenue(10 * revenue_per_employee_cny(p, step) * (1 + p.labour_capacity_slack))
          .build();
  CellStats cells;
  const Executor executor(1);
  measure_cells(firms, parks, p, executor, cells);
  grow_firms(firms, parks, cells, StepContext{p, executor, 1, step});
  return firms;
}

}  // namespace

TEST(GrowFirms, LeadingFirmsNeedTalentToGrow) {
  // An IC firm with 10 talent can produce 10 x r_E x (1 + slack); above that, growth waits for
  // hires and the missing staff are posted as vacancies.
  const ModelParameters p = quiet_growth(0.6).parameters();    // 5 %/month potential growth
  const double per_employee = revenue_per_employee_cny(p, 1);  // January's, with the trend
  const double capacity = 10 * per_employee * (1 + p.labour_capacity_slack);
  const FirmArrays firms = grow_ten_staff_firm_at_capacity(p, 1);
  EXPECT_DOUBLE_EQ(firms.revenue_cny[0], capacity);  // held back
  EXPECT_EQ(firms.employees[0], 10);                 // head count is the talent's to change
  const double wanted = std::ceil(capacity * std::exp(0.05) / per_employee);
  EXPECT_EQ(firms.staffing_gap[0], static_cast<std::int32_t>(wanted) - 10);
}

TEST(GrowFirms, RevenuePerEmployeeTrendRaisesWhatStaffProduce) {
  // With a trend g_E of 12 %/year, two years in (step 24) one employee produces r_E e^0.24: ten
  // talent carry that much more revenue, the staff wanted fall by the same factor, and a new
  // firm of the same revenue needs fewer hands than in the base year.
  Scenario s = quiet_growth(0.6);
  s.set("firms.revenue_per_employee_growth", 0.12);
  const ModelParameters p = s.parameters();
  const double per_employee = p.revenue_per_employee_cny * std::exp(0.24);
  EXPECT_DOUBLE_EQ(revenue_per_employee_cny(p, 0), p.revenue_per_employee_cny);
  EXPECT_DOUBLE_EQ(revenue_per_employee_cny(p, 24), per_employee);
  const double capacity = 10 * per_employee * (1 + p.labour_capacity_slack);
  const FirmArrays firms = grow_ten_staff_firm_at_capacity(p, 24);
  EXPECT_DOUBLE_EQ(firms.revenue_cny[0], capacity);  // more than ten produce without the trend
  EXPECT_GT(firms.revenue_cny[0], 10 * p.revenue_per_employee_cny * (1 + p.labour_capacity_slack));
  const double wanted = std::ceil(capacity * std::exp(0.05) / per_employee);
  EXPECT_EQ(firms.staffing_gap[0], static_cast<std::int32_t>(wanted) - 10);
  const int ic = static_cast<int>(Sector::ic);
  EXPECT_EQ(initial_head_count(1e8, 1.0, ic, p, 0),
            static_cast<std::int32_t>(std::ceil(1e8 / p.revenue_per_employee_cny)));
  EXPECT_EQ(initial_head_count(1e8, 1.0, ic, p, 24),
            static_cast<std::int32_t>(std::ceil(1e8 / per_employee)));
}

TEST(GrowFirms, AFundedFirmSpendsItsLastRoundOverTheRunway) {
  // A seed round of 3e6 CNY (post-money 1.5e7 at dilution 0.2) closed in month 1, a runway of
  // 18 months: a private start-up or growth-stage firm spends 3e6 / 18 CNY a month, whatever its
  // margin earns below that; a listed firm, a large one and one without a round (or with a round
  // from before the base year, step 0) keep their margins.
  Scenario s = quiet_growth(0.0);
  s.set("vc.growth_boost", 0.0);
  s.set("vc.runway_months", 18.0);
  const ModelParameters p = s.parameters();
  ASSERT_DOUBLE_EQ(p.vc_dilution[0], 0.2);
  enum { funded, unfunded, listed, large, growth, before_base_year, n };
  const auto revenue = [](std::size_t i) { return i == large ? 1e9 : i == growth ? 5e7 : 1e6; };
  FirmArrays firms =
      FirmsBuilder(n)
          .sector(Sector::other)
          .age_months(6)
          .cash(3e6)
          .revenue(revenue)
          .stage([](std::size_t i) {
            return i == large ? Stage::large : i == growth ? Stage::growth : Stage::startup;
          })
          .build();
  for (std::size_t i : {funded, listed, large, growth, before_base_year}) {
    firms.rounds[i] = 1;
    firms.last_round_step[i] = i == before_base_year ? 0 : 1;
    firms.post_money_cny[i] = 1.5e7;
  }
  firms.exit_route[listed] = 1;
  Parks parks = ParksBuilder(2).floor_space(1e12).build();
  CellStats cells;
  const Executor executor(2);
  measure_cells(firms, parks, p, executor, cells);
  for (std::uint32_t step = 2; step <= 13; ++step) {
    grow_firms(firms, parks, cells, StepContext{p, executor, 1, step});
  }
  // Twelve months at 3e6 / 18 a month leave a third of the round.
  EXPECT_NEAR(firms.cash_cny[funded], 1e6, 1e-6);
  EXPECT_NEAR(firms.cash_cny[growth], 1e6, 1e-6);  // its margin earns 0.08 x 5e7 a year: less
  const double startup_cash = 3e6 + 1e6 * p.startup_margin;  // a year of the start-up margin
  EXPECT_NEAR(firms.cash_cny[unfunded], startup_cash, 1e-6);
  EXPECT_NEAR(firms.cash_cny[listed], startup_cash, 1e-6);
  EXPECT_NEAR(firms.cash_cny[before_base_year], startup_cash, 1e-6);
  EXPECT_NEAR(firms.cash_cny[large], 3e6 + 1e9 * p.margin_base, 1e-3);
  // Six more months spend the rest: the firm is out of cash, for exit_firms to close.
  for (std::uint32_t step = 14; step <= 19; ++step) {
    grow_firms(firms, parks, cells, StepContext{p, executor, 1, step});
  }
  EXPECT_LT(firms.cash_cny[funded], 1e-6);
}
