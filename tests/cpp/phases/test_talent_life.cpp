// Phase talent_life (docs/model.md 3.3.4) on small hand-made markets.
#include <gtest/gtest.h>

#include <cstdint>

#include "clustersim/phases/talent_life.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::CellsBuilder;
using test_support::hiring_firms;
using test_support::ParksBuilder;
using test_support::seekers;

TEST(TalentLife, RetirementDepartureAndReleaseFromExitedEmployers) {
  Scenario s;
  s.set("talent.leave_rate", 0.0);
  s.set("talent.seeker_leave_rate", 0.0);
  const ModelParameters p = s.parameters();
  Parks parks = ParksBuilder(1).bare().leading_mask(1).distances(0.0).build();
  CellStats cells = CellsBuilder(1).build();
  FirmArrays firms = hiring_firms(1, 0).build();
  firms.alive[0] = 0;  // the employer exited this month
  TalentArrays talent = seekers(3).build();
  talent.age_months[0] = static_cast<std::int32_t>(p.talent_retirement_age_years * 12) - 1;
  talent.employer_index[1] = 0;
  talent.employer[1] = 100;
  talent.wage_cny[1] = 1e5;
  StepFlows flows(1);
  talent_life(talent, firms, parks, cells, StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(talent.alive[0], 0);  // reached retirement age this month
  EXPECT_EQ(flows.talent_departures[0], 1.0);
  EXPECT_EQ(talent.alive[1], 1);
  EXPECT_EQ(talent.employer_index[1], -1);  // released
  EXPECT_EQ(talent.wage_cny[1], 0.0);
  EXPECT_EQ(talent.intent[1], static_cast<std::uint8_t>(TalentIntent::search));
  EXPECT_EQ(talent.months_seeking[2], 1);
}

TEST(TalentLife, OnTheJobSearchMatchesTheAnnualRate) {
  // 50,000 employed talent with no spin-offs or departures: the share searching in a month is
  // 1 - (1 - 0.3)^(1/12) = 2.93 %; binomial sd 0.075 points, tolerance 4 sd = 0.3 points.
  Scenario s;
  s.set("talent.leave_rate", 0.0);
  s.set("talent.spinoff_rate", 0.0);
  const ModelParameters p = s.parameters();
  Parks parks = ParksBuilder(1).bare().distances(0.0).build();
  CellStats cells = CellsBuilder(1).build();
  FirmArrays firms = hiring_firms(1, 0).build();
  firms.employees[0] = 50000;
  TalentArrays talent = seekers(50000).build();
  for (std::size_t t = 0; t < talent.size(); ++t) {
    talent.employer_index[t] = 0;
    talent.employer[t] = 100;
    talent.skill[t] = 0.0;
  }
  StepFlows flows(1);
  talent_life(talent, firms, parks, cells, StepContext{p, Executor(2), 3, 1}, flows);
  double searching = 0;
  for (std::size_t t = 0; t < talent.size(); ++t) {
    searching += talent.intent[t] == static_cast<std::uint8_t>(TalentIntent::search);
  }
  EXPECT_NEAR(100.0 * searching / 50000.0, 100.0 * monthly_probability(0.3), 0.3);
}
