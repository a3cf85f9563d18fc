// The audit of a step's books (step_accounts.cpp, docs/model.md 3.3.12): accounts taken on a
// real state balance with the step's flows, and a change that no flow records is reported with
// the park (or the cash totals) and the step.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "clustersim/errors.hpp"
#include "clustersim/phases/step_accounts.hpp"
#include "helpers.hpp"

using namespace clustersim;
using test_support::message_of;
using test_support::year_old_run;

TEST(Invariants, AccountsBalanceWithTheirFlowsAndNameTheParkOtherwise) {
  const Simulation& sim = year_old_run();
  const Executor executor(2);
  const std::size_t n_parks = sim.parks().size();
  const StepAccounts before = take_accounts(sim.firms(), sim.talent(), n_parks, executor);
  StepFlows flows(n_parks);
  // No phase ran: the same state balances with empty flows.
  EXPECT_NO_THROW(check_step_accounts(
      before, take_accounts(sim.firms(), sim.talent(), n_parks, executor), flows, sim.parks(), 9));

  // A firm moves from its park to another, with one of its staff: balanced once recorded.
  FirmArrays firms = sim.firms();
  TalentArrays talent = sim.talent();
  std::size_t t = 0;
  while (!(talent.alive[t] && talent.employer_index[t] >= 0)) ++t;
  const auto f = static_cast<std::size_t>(talent.employer_index[t]);
  const auto from = static_cast<std::size_t>(firms.park[f]);
  const std::size_t to = (from + 1) % n_parks;
  firms.park[f] = static_cast<std::int16_t>(to);
  talent.park[t] = static_cast<std::int16_t>(to);
  // Only this one of the firm's staff moves, so count the firm's other staff as moving too.
  double staff_moved = 0.0;
  for (std::size_t u = 0; u < talent.size(); ++u) {
    if (talent.alive[u] && talent.employer_index[u] == static_cast<std::int32_t>(f)) {
      talent.park[u] = static_cast<std::int16_t>(to);
      staff_moved += 1.0;
    }
  }
  const StepAccounts moved = take_accounts(firms, talent, n_parks, executor);
  const std::string unrecorded =
      message_of([&] { check_step_accounts(before, moved, flows, sim.parks(), 9); });
  EXPECT_NE(unrecorded.find("step 9"), std::string::npos) << unrecorded;
  EXPECT_NE(unrecorded.find("park " + sim.parks().id[std::min(from, to)]), std::string::npos)
      << unrecorded;
  EXPECT_NE(unrecorded.find("living firms"), std::string::npos) << unrecorded;
  flows.firm_moves[from * n_parks + to] += 1.0;
  flows.talent_relocated[from * n_parks + to] += staff_moved;
  EXPECT_NO_THROW(check_step_accounts(before, moved, flows, sim.parks(), 9));

  // A firm that vanishes without an exit breaks the count of its park.
  std::size_t vanished = 0;
  while (!firms.alive[vanished]) ++vanished;
  firms.alive[vanished] = 0;
  const std::string message = message_of([&] {
    check_step_accounts(before, take_accounts(firms, talent, n_parks, executor), flows, sim.parks(),
                        9);
  });
  const auto park = static_cast<std::size_t>(firms.park[vanished]);
  EXPECT_NE(message.find("park " + sim.parks().id[park] + " has"), std::string::npos) << message;
  flows.exits[cell_index(park, firms.sector[vanished])] += 1.0;
  EXPECT_NO_THROW(check_step_accounts(before, take_accounts(firms, talent, n_parks, executor),
                                      flows, sim.parks(), 9));
}

TEST(Invariants, CashThatMovesWithoutAFlowIsReported) {
  const Simulation& sim = year_old_run();
  const Executor executor(2);
  const std::size_t n_parks = sim.parks().size();
  const StepAccounts before = take_accounts(sim.firms(), sim.talent(), n_parks, executor);
  FirmArrays firms = sim.firms();
  std::size_t i = 0;
  while (!firms.alive[i]) ++i;
  StepFlows flows(n_parks);
  firms.cash_cny[i] += 5e6;  // operations brought 2e6, a round 3e6: balanced
  flows.operating_cash_cny = 2e6;
  flows.vc_invested[0] = 3e6;
  // New rows (entrants) carry their own start-up capital and are not in the accounts.
  const std::size_t rows = before.firm_rows;
  EXPECT_NO_THROW(check_step_accounts(
      before, take_accounts(firms, sim.talent(), n_parks, executor, rows), flows, sim.parks(), 4));
  firms.cash_cny[i] += 1e5;  // 100,000 CNY from nowhere
  const std::string message = message_of([&] {
    check_step_accounts(before, take_accounts(firms, sim.talent(), n_parks, executor, rows), flows,
                        sim.parks(), 4);
  });
  EXPECT_NE(message.find("cash"), std::string::npos) << message;
  EXPECT_NE(message.find("step 4"), std::string::npos) << message;
}
