// Phase match_labour (docs/model.md 3.3.8) on small hand-made markets.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/phases/match_labour.hpp"
#include "clustersim/phases/staff_firms.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::hiring_firms;
using test_support::seekers;

TEST(MatchLabour, TheMostSkilledMeetTheBestPaidVacancies) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms =
      hiring_firms(3, 1).build();            // three vacancies, offers rising with productivity
  TalentArrays talent = seekers(5).build();  // five seekers: the two least skilled stay unemployed
  StepFlows flows(1);
  match_labour(talent, firms, StepContext{p, Executor(2), 1, 1}, flows);
  EXPECT_EQ(talent.employer[4], 102);  // best skill, most productive firm
  EXPECT_EQ(talent.employer[3], 101);
  EXPECT_EQ(talent.employer[2], 100);
  EXPECT_EQ(talent.employer[1], -1);
  EXPECT_EQ(talent.employer[0], -1);
  EXPECT_EQ(flows.hires[cell_index(0, 0)], 3.0);
  EXPECT_NEAR(talent.wage_cny[4], wage_offer(3.0, p) * std::exp(p.talent_wage_skill_premium * 0.4),
              1e-6);
  staff_firms(firms, talent, Executor(2));
  for (std::size_t f = 0; f < 3; ++f) {
    EXPECT_EQ(firms.employees[f], 1);
    EXPECT_EQ(firms.staffing_gap[f], 0);
  }
}

TEST(MatchLabour, EmployedSearchersMoveOnlyForABetterWage) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = hiring_firms(6, 0).build();
  firms.staffing_gap[0] = 1;  // only firm 0 (productivity 1) hires
  TalentArrays talent = seekers(1).build();
  talent.employer_index[0] = 5;  // employed by firm 5...
  talent.employer[0] = firms.id[5];
  talent.wage_cny[0] = 10 * wage_offer(1.0, p);  // ...at a far better wage than firm 0 offers
  StepFlows flows(1);
  match_labour(talent, firms, StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(talent.employer_index[0], 5);  // declined: the offer is no raise
  EXPECT_EQ(flows.hires[0], 0.0);
  talent.wage_cny[0] = 0.5 * wage_offer(1.0, p);  // now the offer is a raise
  match_labour(talent, firms, StepContext{p, Executor(1), 1, 2}, flows);
  EXPECT_EQ(talent.employer_index[0], 0);
  EXPECT_EQ(talent.employer[0], firms.id[0]);
  EXPECT_EQ(flows.hires[0], 1.0);
}

TEST(MatchLabour, SearchersInAnotherParkMoveThere) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = hiring_firms(1, 2).build();
  firms.park[0] = 1;  // the vacancy is in park 1
  TalentArrays talent = seekers(2).build();
  talent.target_park[0] = 1;  // one searches there, the other at home (park 0)
  talent.target_park[1] = 0;
  StepFlows flows(2);
  match_labour(talent, firms, StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(talent.employer_index[0], 0);
  EXPECT_EQ(talent.park[0], 1);
  EXPECT_EQ(talent.employer_index[1], -1);
  EXPECT_EQ(flows.talent_moves[0 * 2 + 1], 1.0);  // origin 0, destination 1
}
