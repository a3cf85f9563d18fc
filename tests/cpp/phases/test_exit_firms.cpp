// Phase exit_firms (docs/model.md 3.3.3): insolvency, the hazard by age, and incubation's lower
// hazard, on hand-made firms.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "clustersim/phases/exit_firms.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;
using test_support::IncubatorsBuilder;
using test_support::new_firms;

TEST(ExitFirms, InsolventFirmsLeaveAndHealthyOnesStayWithoutHazard) {
  Scenario s;
  s.set("firms.exit.hazard_by_age", std::vector<double>{0.0});
  s.set("firms.exit.base_hazard", 0.0);
  const ModelParameters p = s.parameters();
  FirmArrays firms = FirmsBuilder(5).revenue(1e7).build();
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
  FirmArrays firms = FirmsBuilder(40000).revenue(p.exit_ref_revenue_cny).build();
  for (std::size_t i = 0; i < firms.size(); ++i) firms.age_months[i] = 18;
  std::vector<double> exits(2 * sector_count, 0.0);
  exit_firms(firms, IncubatorArrays{}, StepContext{p, Executor(2), 77, 5}, exits);
  const double expected = 40000 * (1 - std::pow(1 - 0.063, 1.0 / 12));
  EXPECT_NEAR(exits[cell_index(0, 0)], expected, 59);
}

TEST(Incubators, IncubationLowersTheExitHazard) {
  // 40,000 one-year-old firms at the reference size, half incubated (quality 0, factor 0.5):
  // monthly exit probabilities 0.5408 % and 0.2741 %; binomial sd 10.4 and 7.4; 4 sd each.
  const ModelParameters p = Scenario().parameters();
  IncubatorArrays incubators = IncubatorsBuilder(1).quality(0.0).capacity(1000000).build();
  FirmArrays firms = new_firms(40000).build();
  for (std::size_t i = 0; i < firms.size(); ++i) {
    firms.revenue_cny[i] = p.exit_ref_revenue_cny;
    firms.age_months[i] = 18;
    if (i % 2 == 0) firms.incubator[i] = 0;
  }
  std::vector<double> exits(sector_count, 0.0);
  exit_firms(firms, incubators, StepContext{p, Executor(2), 31, 3}, exits);
  double incubated = 0, others = 0;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (firms.alive[i]) continue;
    (i % 2 == 0 ? incubated : others) += 1;
  }
  EXPECT_NEAR(others, 20000 * monthly_probability(0.063), 42);
  EXPECT_NEAR(incubated, 20000 * monthly_probability(0.063 * 0.5), 30);
}
