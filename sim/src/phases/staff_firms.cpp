#include "clustersim/phases/staff_firms.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "clustersim/model/rules.hpp"

namespace clustersim {

void staff_firms(FirmArrays& firms, const TalentArrays& talent, const Executor& executor) {
  // Skill is summed in fixed point, 2^-32 log points: integer sums do not depend on the order
  // of their terms, so stripes of talent are counted apart, in parallel, and added up, with the
  // same team skill for any number of stripes or threads. |skill| < 1024 (the talent audit
  // checks it) keeps a firm of up to 2^21 staff within 64 bits.
  constexpr double fixed_point_unit = 4294967296.0;  // 2^32 per log point
  const std::size_t n_firms = firms.size(), n_talent = talent.size();
  const std::size_t stripes =
      executor.serial()
          ? 1
          : std::clamp<std::size_t>(static_cast<std::size_t>(executor.threads()), 1,
                                    std::max<std::size_t>(1, Executor::block_count(n_talent)));
  std::vector<std::vector<std::int32_t>> staff(stripes);
  std::vector<std::vector<std::int64_t>> skill(stripes);
  executor.for_tasks(
      stripes,
      [&](std::size_t s) {
        staff[s].assign(n_firms, 0);
        skill[s].assign(n_firms, 0);
        // Everything in locals: the integer stores may alias size_t (int64_t's unsigned
        // twin), so bounds read through references would be reloaded, and divided, per agent.
        std::int32_t* const stripe_staff = staff[s].data();
        std::int64_t* const stripe_skill = skill[s].data();
        const std::uint8_t* const alive = talent.alive.data();
        const std::int32_t* const employer_index = talent.employer_index.data();
        const double* const log_skill = talent.skill.data();
        const std::size_t begin = n_talent * s / stripes, end = n_talent * (s + 1) / stripes;
        for (std::size_t t = begin; t < end; ++t) {
          const std::int32_t f = employer_index[t];
          if (!alive[t] || f < 0) continue;
          const double q = log_skill[t];
          // Out of range (the audit beside this phase reports it): 0, not an overflow.
          const double bounded = q > -talent_skill_bound && q < talent_skill_bound ? q : 0.0;
          ++stripe_staff[f];
          stripe_skill[f] += static_cast<std::int64_t>(bounded * fixed_point_unit);
        }
      },
      n_talent);
  executor.for_each(n_firms, [&](std::size_t f) {
    if (!firms.alive[f] || !is_leading(firms.sector[f])) return;
    std::int32_t firm_staff = 0;
    std::int64_t firm_skill = 0;
    for (std::size_t s = 0; s < stripes; ++s) {
      firm_staff += staff[s][f];
      firm_skill += skill[s][f];
    }
    // The gap was "wanted minus staff at the start of the month"; keep what is still wanted.
    const std::int32_t wanted = firms.staffing_gap[f] + firms.employees[f];
    firms.employees[f] = firm_staff;
    firms.team_skill[f] =
        firm_staff > 0 ? static_cast<double>(firm_skill) / fixed_point_unit / firm_staff : 0.0;
    firms.staffing_gap[f] = wanted - firm_staff;
  });
}

}  // namespace clustersim
