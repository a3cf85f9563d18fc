#include "clustersim/phases/check_invariants.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "clustersim/errors.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

// The first index in [0, n) for which broken(i) holds, or `none`: the first per block, blocks
// combined in order, so the report is the same for any thread count.
template <class Broken>
std::size_t first_broken(const Executor& executor, std::size_t n, Broken&& broken) {
  return executor.reduce(
      n, none,
      [&](std::size_t& first, std::size_t begin, std::size_t end) {
        // Almost always nothing is broken: a pass without an early exit (which the compiler
        // can unroll and vectorise) tells, then the rare broken block is searched for its first.
        bool any = false;
        for (std::size_t i = begin; i < end; ++i) any |= broken(i);
        if (!any) return;
        for (std::size_t i = begin; i < end && first == none; ++i) {
          if (broken(i)) first = i;
        }
      },
      [](std::size_t& first, const std::size_t& part) {
        if (first == none) first = part;
      });
}

}  // namespace

void check_firm_invariants(const FirmArrays& firms, const Executor& executor, const char* phase,
                           std::uint32_t step) {
  const std::size_t broken = first_broken(executor, firms.size(), [&](std::size_t i) {
    return firms.alive[i] &&
           !(std::isfinite(firms.revenue_cny[i]) && firms.revenue_cny[i] > 0.0 &&
             std::isfinite(firms.cash_cny[i]) && std::isfinite(firms.productivity[i]) &&
             firms.productivity[i] > 0.0 && firms.employees[i] >= 0);
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

void check_talent_invariants(const TalentArrays& talent, const FirmArrays& firms,
                             const Executor& executor, const char* phase, std::uint32_t step,
                             bool check_employers) {
  std::size_t broken = first_broken(executor, talent.size(), [&](std::size_t t) {
    return talent.alive[t] && !(std::abs(talent.skill[t]) < talent_skill_bound &&
                                std::isfinite(talent.wage_cny[t]) && talent.wage_cny[t] >= 0.0);
  });
  if (check_employers) {  // a second pass: the first stays cheap and sequential
    broken = std::min(
        broken, first_broken(executor, talent.size(), [&](std::size_t t) {
          const std::int32_t e = talent.employer_index[t];
          if (!talent.alive[t] || e < 0) return false;
          const auto f = static_cast<std::size_t>(e);
          return !(f < firms.size() && firms.alive[f] && firms.id[f] == talent.employer[t] &&
                   firms.park[f] == talent.park[t] && firms.sector[f] == talent.sector[t]);
        }));
  }
  if (broken == none) return;
  std::ostringstream message;
  message << "invariant broken after phase '" << phase << "' at step " << step << ": talent "
          << talent.id[broken] << " has skill=" << talent.skill[broken]
          << ", wage_cny=" << talent.wage_cny[broken] << ", park=" << talent.park[broken]
          << ", sector=" << int{talent.sector[broken]} << ", employer=" << talent.employer[broken];
  const std::int32_t e = talent.employer_index[broken];
  if (e >= 0 && static_cast<std::size_t>(e) < firms.size()) {
    const auto f = static_cast<std::size_t>(e);
    message << " (that firm: id " << firms.id[f] << ", alive=" << int{firms.alive[f]}
            << ", park=" << firms.park[f] << ", sector=" << int{firms.sector[f]} << ")";
  }
  throw InvariantError(message.str());
}

}  // namespace clustersim
