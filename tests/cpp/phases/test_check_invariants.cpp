// The audits of agents' state (check_invariants.cpp, docs/model.md 3.3.12): each one passes on
// a real state and, broken on purpose, stops with a message that names the agent, the phase and
// the step.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "clustersim/errors.hpp"
#include "clustersim/phases/check_invariants.hpp"
#include "fixtures.hpp"
#include "helpers.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;
using test_support::message_of;
using test_support::year_old_run;

TEST(Invariants, ABrokenFirmIsNamedWithPhaseAndStep) {
  FirmArrays firms = FirmsBuilder(20000).revenue(1e7).build();
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

TEST(Invariants, TalentWhoseEmployerIsGoneIsNamed) {
  const Simulation& sim = year_old_run();
  const Executor executor(2);
  EXPECT_NO_THROW(check_talent_invariants(sim.talent(), sim.firms(), executor, "staff_firms", 12));

  TalentArrays talent = sim.talent();
  FirmArrays firms = sim.firms();
  std::size_t t = 0;
  while (!(talent.alive[t] && talent.employer_index[t] >= 0)) ++t;
  firms.alive[static_cast<std::size_t>(talent.employer_index[t])] = 0;
  const std::string message =
      message_of([&] { check_talent_invariants(talent, firms, executor, "staff_firms", 12); });
  EXPECT_NE(message.find("talent " + std::to_string(talent.id[t])), std::string::npos) << message;
  EXPECT_NE(message.find("staff_firms"), std::string::npos) << message;
  EXPECT_NE(message.find("step 12"), std::string::npos) << message;
  EXPECT_NE(message.find("alive=0"), std::string::npos) << message;
}

TEST(Invariants, TalentWithANonFiniteWageIsNamed) {
  const Simulation& sim = year_old_run();
  TalentArrays talent = sim.talent();
  std::size_t t = talent.size() - 1;
  while (!talent.alive[t]) --t;
  talent.wage_cny[t] = std::nan("");
  const std::string message = message_of(
      [&] { check_talent_invariants(talent, sim.firms(), Executor(0), "talent_life", 5); });
  EXPECT_NE(message.find("talent " + std::to_string(talent.id[t])), std::string::npos) << message;
}

// staff_firms sums skill in fixed point, which holds |skill| < 1024 (talent_skill_bound); a
// skill at the bound, or not finite, is reported like any broken talent.
TEST(Invariants, TalentWithASkillOutOfTheFixedPointRangeIsNamed) {
  const Simulation& sim = year_old_run();
  for (double skill : {talent_skill_bound, -2.0 * talent_skill_bound, std::nan(""),
                       std::numeric_limits<double>::infinity()}) {
    TalentArrays talent = sim.talent();
    std::size_t t = talent.size() / 2;
    while (!talent.alive[t]) ++t;
    talent.skill[t] = skill;
    const std::string message = message_of(
        [&] { check_talent_invariants(talent, sim.firms(), Executor(2), "staff_firms", 7); });
    EXPECT_NE(message.find("talent " + std::to_string(talent.id[t])), std::string::npos)
        << "skill " << skill << ": " << message;
  }
  TalentArrays talent = sim.talent();
  talent.skill[0] = std::nextafter(talent_skill_bound, 0.0);  // just inside: not broken
  EXPECT_NO_THROW(check_talent_invariants(talent, sim.firms(), Executor(2), "staff_firms", 7));
}
