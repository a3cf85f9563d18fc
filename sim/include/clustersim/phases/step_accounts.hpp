#pragma once
// The audit of a step's books (docs/model.md 3.3.12).

#include <cstdint>
#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/model/flows.hpp"

namespace clustersim {

// The books of one step: living agents per park and the firms' cash, taken before the step's
// phases and again after them.
struct StepAccounts {
  std::vector<std::int64_t> firms_by_park, talent_by_park;
  std::size_t firm_rows = 0;    // firms that existed when the accounts were taken
  double cash_cny = 0.0;        // sum of their cash
  double cash_scale_cny = 0.0;  // sum of |cash|, the size of the rounding the sum can carry
};

// Cash is summed over the first `cash_rows` firm rows (all, by default): after the step, the
// rows that existed before it.
// With `counted`, its agent counts are taken as they are and only the cash is summed: between
// two steps nothing moves agents, so one step's closing counts open the next.
StepAccounts take_accounts(const FirmArrays& firms, const TalentArrays& talent, std::size_t n_parks,
                           const Executor& executor,
                           std::size_t cash_rows = static_cast<std::size_t>(-1),
                           const StepAccounts* counted = nullptr);

// Conservation between the two accounts: per park, living firms and talent change only by the
// step's recorded flows (entries, exits, moves, arrivals, departures), and the cash of the firms
// that existed before changes only by their operating cash flow and the VC rounds they raised.
// Throws InvariantError naming the park (or the cash totals), the step and the flows.
void check_step_accounts(const StepAccounts& before, const StepAccounts& after,
                         const StepFlows& flows, const Parks& parks, std::uint32_t step);

}  // namespace clustersim
