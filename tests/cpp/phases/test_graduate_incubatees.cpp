// Incubators on hand-made worlds: admission, graduation (relay incubation), failures, status.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/phases/phases.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

namespace {

IncubatorArrays incubators_in_park_0(std::vector<double> quality, std::int32_t capacity) {
  IncubatorArrays incubators;
  incubators.resize(quality.size());
  for (std::size_t k = 0; k < quality.size(); ++k) {
    incubators.id[k] = static_cast<std::int64_t>(k);
    incubators.sector[k] = static_cast<std::uint8_t>(Sector::ic);
    incubators.alive[k] = 1;
    incubators.capacity[k] = capacity;
    incubators.quality[k] = quality[k];
  }
  return incubators;
}

FirmArrays ic_firms(std::size_t n) {
  FirmArrays firms;
  firms.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    firms.id[i] = static_cast<std::int64_t>(i);
    firms.sector[i] = static_cast<std::uint8_t>(Sector::ic);
    firms.alive[i] = 1;
    firms.revenue_cny[i] = 1e6;
    firms.productivity[i] = 1.0;
    firms.employees[i] = 1;
    firms.cash_cny[i] = 1e6;
    firms.incubator[i] = -1;
  }
  return firms;
}

CellStats one_park(double occupancy) {
  CellStats cells;
  cells.resize(1);
  cells.occupancy[0] = occupancy;
  return cells;
}

}  // namespace

TEST(Incubators, AdmitToTheBestWithRoom) {
  Scenario s;
  s.set("incubators.admission_share", 1.0);
  const ModelParameters p = s.parameters();
  IncubatorArrays incubators = incubators_in_park_0({0.1, 0.9, 0.5}, 2);
  FirmArrays firms = ic_firms(5);
  StepFlows flows(1);
  admit_to_incubators(incubators, firms, 0, StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(firms.incubator[0], 1);  // best quality first
  EXPECT_EQ(firms.incubator[1], 1);
  EXPECT_EQ(firms.incubator[2], 2);  // then the next best, once the best is full
  EXPECT_EQ(firms.incubator[3], 2);
  EXPECT_EQ(firms.incubator[4], 0);
  EXPECT_EQ(incubators.occupants[1], 2);
  EXPECT_EQ(flows.incubator_admissions[0], 5.0);
}

TEST(Incubators, GraduationNeedsSpaceUntilTheMaximum) {
  const ModelParameters p = Scenario().parameters();  // 24 months, at most 48
  IncubatorArrays incubators = incubators_in_park_0({0.0}, 10);
  FirmArrays firms = ic_firms(3);
  for (std::size_t i = 0; i < 3; ++i) {
    firms.incubator[i] = 0;
    incubators.occupants[0] += 1;
  }
  firms.incubated_months[0] = 23;  // due this month
  firms.incubated_months[1] = 47;  // at the maximum this month
  firms.alive[2] = 0;              // exited: a failure
  StepFlows flows(1);
  // A full park: the due incubatee waits, the one at the maximum leaves anyway.
  graduate_incubatees(incubators, firms, one_park(1.0), StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(firms.incubator[0], 0);
  EXPECT_EQ(firms.incubator[1], -1);
  EXPECT_EQ(firms.incubator[2], -1);
  EXPECT_EQ(incubators.graduations_year[0], 1);
  EXPECT_EQ(incubators.failures_year[0], 1);
  EXPECT_EQ(incubators.occupants[0], 1);
  // Space frees up: it graduates.
  graduate_incubatees(incubators, firms, one_park(0.5), StepContext{p, Executor(1), 1, 2}, flows);
  EXPECT_EQ(firms.incubator[0], -1);
  EXPECT_EQ(incubators.occupants[0], 0);
  EXPECT_EQ(flows.graduations[0], 2.0);
}

TEST(Incubators, StatusIsGainedAndLostAfterConsecutiveEvaluations) {
  const ModelParameters p = Scenario().parameters();  // score 0.25, 2 years
  IncubatorArrays incubators = incubators_in_park_0({0.0}, 20);
  auto year_with = [&](int graduations, int failures) {
    incubators.graduations_year[0] = graduations;
    incubators.failures_year[0] = failures;
    evaluate_incubators(incubators, p);
    return incubators.high_quality[0];
  };
  EXPECT_EQ(year_with(10, 0), 0);                // score 0.5: one good year is not enough
  EXPECT_EQ(year_with(8, 2), 1);                 // score 0.3: two in a row
  EXPECT_EQ(year_with(2, 0), 1);                 // score 0.1: one bad year keeps the status
  EXPECT_EQ(year_with(1, 3), 0);                 // a second one removes it
  EXPECT_EQ(incubators.graduations_year[0], 1);  // kept for December's snapshot...
  start_incubator_year(incubators);
  EXPECT_EQ(incubators.graduations_year[0], 0);  // ...and start again in January
  EXPECT_DOUBLE_EQ(incubators.last_score[0], -0.1);
}

TEST(Incubators, IncubationLowersTheExitHazard) {
  // 40,000 one-year-old firms at the reference size, half incubated (quality 0, factor 0.5):
  // monthly exit probabilities 0.5408 % and 0.2741 %; binomial sd 10.4 and 7.4; 4 sd each.
  const ModelParameters p = Scenario().parameters();
  IncubatorArrays incubators = incubators_in_park_0({0.0}, 1000000);
  FirmArrays firms = ic_firms(40000);
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
