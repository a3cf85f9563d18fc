// The talent phases on small hand-made markets.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "clustersim/phases/phases.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

namespace {

// n firms in park 0, IC, with productivities 1, 2, ..., each wanting `vacancies` more staff.
FirmArrays hiring_firms(std::size_t n, std::int32_t vacancies) {
  FirmArrays firms;
  firms.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    firms.id[i] = static_cast<std::int64_t>(100 + i);
    firms.sector[i] = static_cast<std::uint8_t>(Sector::ic);
    firms.alive[i] = 1;
    firms.revenue_cny[i] = 1e7;
    firms.productivity[i] = 1.0 + static_cast<double>(i);
    firms.employees[i] = 0;
    firms.staffing_gap[i] = vacancies;
    firms.cash_cny[i] = 1e6;
    firms.incubator[i] = -1;
  }
  return firms;
}

// n job seekers in park 0, IC, with skills 0, 0.1, 0.2, ...
TalentArrays seekers(std::size_t n) {
  TalentArrays talent;
  talent.resize(n);
  for (std::size_t t = 0; t < n; ++t) {
    talent.id[t] = static_cast<std::int64_t>(t);
    talent.sector[t] = static_cast<std::uint8_t>(Sector::ic);
    talent.alive[t] = 1;
    talent.skill[t] = 0.1 * static_cast<double>(t);
    talent.employer[t] = -1;
    talent.employer_index[t] = -1;
    talent.age_months[t] = 30 * 12;
    talent.intent[t] = static_cast<std::uint8_t>(TalentIntent::search);
  }
  return talent;
}

}  // namespace

TEST(MatchLabour, TheMostSkilledMeetTheBestPaidVacancies) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = hiring_firms(3, 1);  // three vacancies, offers rising with productivity
  TalentArrays talent = seekers(5);       // five seekers: the two least skilled stay unemployed
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
  FirmArrays firms = hiring_firms(6, 0);
  firms.staffing_gap[0] = 1;  // only firm 0 (productivity 1) hires
  TalentArrays talent = seekers(1);
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
  FirmArrays firms = hiring_firms(1, 2);
  firms.park[0] = 1;  // the vacancy is in park 1
  TalentArrays talent = seekers(2);
  talent.target_park[0] = 1;  // one searches there, the other at home (park 0)
  talent.target_park[1] = 0;
  StepFlows flows(2);
  match_labour(talent, firms, StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(talent.employer_index[0], 0);
  EXPECT_EQ(talent.park[0], 1);
  EXPECT_EQ(talent.employer_index[1], -1);
  EXPECT_EQ(flows.talent_moves[0 * 2 + 1], 1.0);  // origin 0, destination 1
}

// Team skill is an exact fixed-point sum (2^-32 log points): firms whose staff lie in one block
// of talent and firms whose staff are spread over several blocks (interleaved, some dead, some
// seeking) get the same bits on every executor and for any number of stripes (threads), within
// 2^-32 log points of the floating-point mean.
TEST(StaffFirms, TeamSkillIsTheSameFixedPointSumOnEveryExecutor) {
  const std::size_t n_firms = 40, n_talent = 3 * Executor::block_size + 123;
  FirmArrays reference = hiring_firms(n_firms, 5);
  for (std::size_t f = 0; f < n_firms; ++f) reference.employees[f] = 3;
  TalentArrays talent = seekers(n_talent);
  std::uint64_t state = 12345;
  auto next = [&state] { return state = state * 6364136223846793005ull + 1442695040888963407ull; };
  for (std::size_t t = 0; t < n_talent; ++t) {
    // Three firms per block hire only there (firms 0-11); firms 10-39 hire everywhere.
    const std::uint64_t r = next() >> 33;
    const std::size_t block = t / Executor::block_size;
    const std::int32_t f = r % 3 == 0   ? -1
                           : r % 3 == 1 ? static_cast<std::int32_t>(block * 3 + (r / 3) % 3)
                                        : static_cast<std::int32_t>(10 + (r / 3) % 30);
    talent.employer_index[t] = f;
    talent.employer[t] = f >= 0 ? reference.id[static_cast<std::size_t>(f)] : -1;
    talent.skill[t] = static_cast<double>(next() >> 11) * 0x1p-53 * 3.0 - 1.0;
    talent.alive[t] = (next() >> 40) % 10 != 0;
  }
  std::vector<std::int32_t> staff(n_firms, 0);
  std::vector<std::int64_t> fixed_skill(n_firms, 0);
  std::vector<double> float_skill(n_firms, 0.0);
  for (std::size_t t = 0; t < n_talent; ++t) {
    if (!talent.alive[t] || talent.employer_index[t] < 0) continue;
    const auto f = static_cast<std::size_t>(talent.employer_index[t]);
    ++staff[f];
    fixed_skill[f] += static_cast<std::int64_t>(talent.skill[t] * 0x1p32);  // toward zero
    float_skill[f] += talent.skill[t];
  }
  for (int threads : {0, 1, 2, 3, 5}) {
    FirmArrays firms = reference;
    staff_firms(firms, talent, Executor(threads));
    for (std::size_t f = 0; f < n_firms; ++f) {
      ASSERT_GT(staff[f], 0) << "firm " << f;
      EXPECT_EQ(firms.employees[f], staff[f]) << "firm " << f << ", threads " << threads;
      EXPECT_EQ(firms.team_skill[f], static_cast<double>(fixed_skill[f]) * 0x1p-32 / staff[f])
          << "firm " << f << ", threads " << threads;
      // Each term loses less than 2^-32 to the truncation; the float sum's rounding is far
      // smaller than that for a few hundred terms of magnitude <= 2.
      EXPECT_NEAR(firms.team_skill[f], float_skill[f] / staff[f], 0x1p-32);
      EXPECT_EQ(firms.staffing_gap[f], 5 + 3 - staff[f]);
    }
  }
}

TEST(TalentLife, RetirementDepartureAndReleaseFromExitedEmployers) {
  Scenario s;
  s.set("talent.leave_rate", 0.0);
  s.set("talent.seeker_leave_rate", 0.0);
  const ModelParameters p = s.parameters();
  Parks parks;
  parks.id = {"a"};
  parks.distance_km = {0.0};
  parks.leading_mask = {1};
  CellStats cells;
  cells.resize(1);
  FirmArrays firms = hiring_firms(1, 0);
  firms.alive[0] = 0;  // the employer exited this month
  TalentArrays talent = seekers(3);
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
  Parks parks;
  parks.id = {"a"};
  parks.distance_km = {0.0};
  CellStats cells;
  cells.resize(1);
  FirmArrays firms = hiring_firms(1, 0);
  firms.employees[0] = 50000;
  TalentArrays talent = seekers(50000);
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
