// Each phase on a small hand-made world, with parameters chosen so the expected outcome is exact
// or has a known distribution.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "clustersim/errors.hpp"
#include "clustersim/phases/phases.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

namespace {

Parks two_parks(double floor_space_m2) {
  Parks parks;
  for (const char* id : {"a", "b"}) {
    parks.id.push_back(id);
    parks.name.push_back(id);
    parks.name_zh.push_back(id);
    parks.district.push_back(id);
    parks.area_km2.push_back(1.0);
    parks.longitude.push_back(121.0);
    parks.latitude.push_back(31.0);
    parks.leading_mask.push_back(1u << static_cast<int>(Sector::ic));
    parks.base_revenue_cny.push_back(1e9);
    parks.floor_space_m2.push_back(floor_space_m2);
  }
  return parks;
}

FirmArrays firms_in_park_a(std::size_t n, double revenue_cny, Sector sector = Sector::ic) {
  FirmArrays firms;
  firms.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    firms.id[i] = static_cast<std::int64_t>(i);
    firms.park[i] = 0;
    firms.sector[i] = static_cast<std::uint8_t>(sector);
    firms.stage[i] = static_cast<std::uint8_t>(Stage::growth);
    firms.alive[i] = 1;
    firms.revenue_cny[i] = revenue_cny;
    firms.employees[i] = 10;
    firms.productivity[i] = 1.0;
    firms.age_months[i] = 120;
    firms.cash_cny[i] = 1e9;
    firms.incubator[i] = -1;
  }
  return firms;
}

// Deterministic growth: no shocks, no productivity, agglomeration or youth effects.
Scenario quiet_growth(double drift) {
  Scenario s;
  s.set("firms.growth.drift", drift);
  s.set("firms.growth.productivity_effect", 0.0);
  s.set("firms.growth.agglomeration_effect", 0.0);
  s.set("firms.growth.young_bonus", 0.0);
  s.set("firms.growth.volatility_ref", 0.0);
  s.set("firms.growth.volatility_min", 0.0);
  s.set("firms.productivity.volatility", 0.0);
  return s;
}

}  // namespace

TEST(Stages, ClassifyBySizeAndAge) {
  const ModelParameters p = Scenario().parameters();
  EXPECT_EQ(classify_stage(1e6, 12, Stage::startup, p), Stage::startup);
  EXPECT_EQ(classify_stage(1e6, 61, Stage::startup, p), Stage::growth);  // too old for a start-up
  EXPECT_EQ(classify_stage(3e7, 12, Stage::startup, p), Stage::growth);
  EXPECT_EQ(classify_stage(5e8, 12, Stage::growth, p), Stage::large);
  EXPECT_EQ(classify_stage(1e6, 200, Stage::large, p), Stage::growth);    // shrank
  EXPECT_EQ(classify_stage(1e6, 12, Stage::unicorn, p), Stage::unicorn);  // titles are kept
}

TEST(Stages, StartUpsNeverComeBack) {
  const ModelParameters p = Scenario().parameters();
  EXPECT_EQ(classify_stage(1e6, 12, Stage::growth, p), Stage::growth);
  EXPECT_EQ(classify_stage(1e6, 12, Stage::large, p), Stage::growth);
}

TEST(Stages, CongestionRisesFromOnsetAndSpaceFactorFalls) {
  const ModelParameters p = Scenario().parameters();  // onset 0.9
  EXPECT_EQ(congestion(0.5, p), 0.0);
  EXPECT_EQ(congestion(0.9, p), 0.0);
  EXPECT_NEAR(congestion(0.95, p), 0.5, 1e-12);
  EXPECT_NEAR(congestion(1.0, p), 1.0, 1e-12);
  EXPECT_NEAR(congestion(1.1, p), 2.0, 1e-12);  // beyond full: a stronger pull back
  EXPECT_EQ(space_factor(0.5, p), 1.0);
  EXPECT_NEAR(space_factor(0.95, p), 0.5, 1e-12);
  EXPECT_EQ(space_factor(1.0, p), 0.0);
  EXPECT_EQ(space_factor(1.3, p), 0.0);
}

TEST(MeasureCells, SumsLivingFirmsInFullScaleEquivalents) {
  Scenario s;
  s.set("scale", 0.5);
  const ModelParameters p = s.parameters();
  const Parks parks = two_parks(1e6);
  FirmArrays firms = firms_in_park_a(4, 2e6);
  firms.alive[3] = 0;
  firms.park[2] = 1;
  CellStats cells;
  measure_cells(firms, parks, p, Executor(2), cells);
  EXPECT_EQ(cells.firms[cell_index(0, 0)], 4.0);  // two agents / 0.5
  EXPECT_EQ(cells.firms[cell_index(1, 0)], 2.0);
  EXPECT_EQ(cells.revenue_cny[cell_index(0, 0)], 8e6);
  EXPECT_EQ(cells.employees[cell_index(0, 0)], 40.0);
  EXPECT_EQ(cells.used_floor_space_m2[0], 40.0 * p.floor_space_per_employee_m2);
  EXPECT_EQ(cells.occupancy[0], 40.0 * p.floor_space_per_employee_m2 / 1e6);
  EXPECT_EQ(cells.firms[cell_index(0, 1)], 0.0);
}

TEST(GrowFirms, DeterministicDriftCompoundsToTheAnnualRate) {
  const ModelParameters p = quiet_growth(0.12).parameters();
  Parks parks = two_parks(1e12);
  FirmArrays firms = firms_in_park_a(3, 1e8, Sector::other);  // labour adjusts at once
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
  const FirmArrays start = firms_in_park_a(2, 1e8, Sector::other);
  CellStats cells;
  const Executor executor(1);
  // Floor space such that occupancy is exactly 1 (congestion 1): drift 0.5 - penalty 0.5 = 0.
  Parks parks = two_parks(1.0);
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
  Parks parks = two_parks(1e15);
  auto spread = [&](double revenue) {
    FirmArrays firms = firms_in_park_a(20000, revenue, Sector::other);
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
  Parks parks = two_parks(1e12);
  FirmArrays firms =
      firms_in_park_a(1, 10 * revenue_per_employee_cny(p, step) * (1 + p.labour_capacity_slack));
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

TEST(ExitFirms, InsolventFirmsLeaveAndHealthyOnesStayWithoutHazard) {
  Scenario s;
  s.set("firms.exit.hazard_by_age", std::vector<double>{0.0});
  s.set("firms.exit.base_hazard", 0.0);
  const ModelParameters p = s.parameters();
  FirmArrays firms = firms_in_park_a(5, 1e7);
  firms.cash_cny[1] = -1.0;
  firms.cash_cny[3] = -5e6;
  std::vector<double> exits(2 * sector_count, 0.0);
  exit_firms(firms, IncubatorArrays{}, StepContext{p, Executor(2), 1, 1}, exits);
  EXPECT_EQ(firms.alive[0], 1);
  EXPECT_EQ(firms.alive[1], 0);
  EXPECT_EQ(firms.alive[3], 0);
  EXPECT_EQ(exits[cell_index(0, 0)], 2.0);
}

TEST(ExitFirms, MonthlyHazardMatchesTheAnnualTable) {
  // 40,000 one-year-old firms at the reference size: the annual hazard of year 2 is 6.3 %, so a
  // month's exit probability is 1 - (1 - 0.063)^(1/12) = 0.5408 %; binomial sd of the count is
  // sqrt(n p (1-p)) = 14.7, and 4 sd = 59 firms is the tolerance.
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = firms_in_park_a(40000, p.exit_ref_revenue_cny);
  for (std::size_t i = 0; i < firms.size(); ++i) firms.age_months[i] = 18;
  std::vector<double> exits(2 * sector_count, 0.0);
  exit_firms(firms, IncubatorArrays{}, StepContext{p, Executor(2), 77, 5}, exits);
  const double expected = 40000 * (1 - std::pow(1 - 0.063, 1.0 / 12));
  EXPECT_NEAR(exits[cell_index(0, 0)], expected, 59);
}

TEST(EnterFirms, NewFirmsGetFreshIdsAndStartUpState) {
  Scenario s;
  s.set("firms.entry.rate", 1.2);  // 10 % of incumbents a month
  const ModelParameters p = s.parameters();
  Parks parks = two_parks(1e12);
  FirmArrays firms = firms_in_park_a(1000, 1e7);
  CellStats cells;
  const Executor executor(2);
  measure_cells(firms, parks, p, executor, cells);
  std::int64_t next_id = 1000;
  std::vector<double> entries(2 * sector_count, 0.0);
  enter_firms(firms, parks, cells, StepContext{p, executor, 3, 1}, next_id, entries);
  const auto added = static_cast<std::int64_t>(firms.size()) - 1000;
  EXPECT_EQ(next_id, 1000 + added);
  double counted = 0;
  for (double e : entries) counted += e;
  EXPECT_EQ(counted, static_cast<double>(added));
  // Poisson(100 + seed rate 0.5 in each park's IC): sd 10; 5 sd.
  EXPECT_NEAR(static_cast<double>(added), 101.0, 50.0);
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < firms.size(); ++i) EXPECT_TRUE(ids.insert(firms.id[i]).second);
  for (std::size_t i = 1000; i < firms.size(); ++i) {
    EXPECT_EQ(firms.alive[i], 1);
    EXPECT_EQ(firms.age_months[i], 0);
    EXPECT_GT(firms.revenue_cny[i], 0);
    EXPECT_GE(firms.employees[i], 1);
    EXPECT_GT(firms.cash_cny[i], 0);
  }
}

TEST(EnterFirms, NoRateNoSpaceNoEntry) {
  Scenario s;
  s.set("firms.entry.rate", 0.0);
  s.set("firms.entry.seed_per_month", 0.0);
  const ModelParameters p = s.parameters();
  Parks parks = two_parks(1e12);
  FirmArrays firms = firms_in_park_a(100, 1e7);
  CellStats cells;
  const Executor executor(1);
  measure_cells(firms, parks, p, executor, cells);
  std::int64_t next_id = 100;
  std::vector<double> entries(2 * sector_count, 0.0);
  enter_firms(firms, parks, cells, StepContext{p, executor, 3, 1}, next_id, entries);
  EXPECT_EQ(firms.size(), 100u);

  const ModelParameters busy = Scenario().parameters();
  Parks full = two_parks(1.0);  // no floor space left anywhere
  measure_cells(firms, full, busy, executor, cells);
  enter_firms(firms, full, cells, StepContext{busy, executor, 3, 2}, next_id, entries);
  EXPECT_EQ(firms.size(), 100u);
}

TEST(SupplyFloorSpace, GrowsAtTheAnnualRateOverAYear) {
  const ModelParameters p = Scenario().parameters();
  Parks parks = two_parks(1000.0);
  for (std::uint32_t step = 1; step <= 12; ++step) {
    supply_floor_space(parks, CellStats{}, StepContext{p, Executor(1), 1, step});
  }
  EXPECT_NEAR(parks.floor_space_m2[0], 1000.0 * (1 + p.floor_space_growth), 1e-9);
}

TEST(Invariants, ABrokenFirmIsNamedWithPhaseAndStep) {
  FirmArrays firms = firms_in_park_a(20000, 1e7);
  firms.revenue_cny[12345] = std::nan("");
  firms.cash_cny[15000] = std::numeric_limits<double>::infinity();
  try {
    check_firm_invariants(firms, Executor(4), "grow_firms", 17);
    FAIL();
  } catch (const InvariantError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("firm 12345"), std::string::npos) << message;  // the first one
    EXPECT_NE(message.find("grow_firms"), std::string::npos);
    EXPECT_NE(message.find("step 17"), std::string::npos);
  }
  firms.revenue_cny[12345] = 1.0;
  firms.cash_cny[15000] = 0.0;
  EXPECT_NO_THROW(check_firm_invariants(firms, Executor(4), "grow_firms", 17));
}
