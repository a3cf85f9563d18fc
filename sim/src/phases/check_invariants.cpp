#include <cmath>
#include <limits>
#include <sstream>

#include "clustersim/errors.hpp"
#include "clustersim/phases/phases.hpp"

namespace clustersim {

void check_firm_invariants(const FirmArrays& firms, const Executor& executor, const char* phase,
                           std::uint32_t step) {
  constexpr std::size_t none = std::numeric_limits<std::size_t>::max();
  // The first broken firm in index order, so the report is the same for any thread count.
  const std::size_t broken = executor.reduce(
      firms.size(), none,
      [&](std::size_t& first, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end && first == none; ++i) {
          if (!firms.alive[i]) continue;
          const bool ok = std::isfinite(firms.revenue_cny[i]) && firms.revenue_cny[i] > 0.0 &&
                          std::isfinite(firms.cash_cny[i]) &&
                          std::isfinite(firms.productivity[i]) && firms.productivity[i] > 0.0 &&
                          firms.employees[i] >= 0;
          if (!ok) first = i;
        }
      },
      [](std::size_t& first, const std::size_t& part) {
        if (first == none) first = part;
      });
  if (broken == none) return;
  std::ostringstream message;
  message << "invariant broken after phase '" << phase << "' at step " << step << ": firm "
          << firms.id[broken] << " has revenue_cny=" << firms.revenue_cny[broken]
          << ", cash_cny=" << firms.cash_cny[broken]
          << ", productivity=" << firms.productivity[broken]
          << ", employees=" << firms.employees[broken];
  throw InvariantError(message.str());
}

}  // namespace clustersim
