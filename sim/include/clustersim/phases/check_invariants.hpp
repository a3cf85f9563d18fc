#pragma once
// The audits of agents' state (docs/model.md 3.3.12).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Throws InvariantError naming the first firm (by index order) whose state is not finite or
// not positive where it must be, with the phase and step.
void check_firm_invariants(const FirmArrays& firms, const Executor& executor, const char* phase,
                           std::uint32_t step);

// Throws InvariantError naming the first living talent (by index order) whose skill or wage is
// not finite, whose wage is negative, or (with `check_employers`) whose employer is gone or in
// another park or sector. The employer look-up is one random access per employee, so the step
// checks employers once a year, right after the compaction that renumbers firms.
void check_talent_invariants(const TalentArrays& talent, const FirmArrays& firms,
                             const Executor& executor, const char* phase, std::uint32_t step,
                             bool check_employers = true);

}  // namespace clustersim
