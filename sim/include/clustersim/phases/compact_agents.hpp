#pragma once
// Phase compact_agents (December, docs/model.md 1.3).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Once a year, after December's outputs: dead firms and departed talent leave the arrays, and
// talent's employers and deals' firms follow their firms' new indices. Columns compact as
// parallel tasks, each in order, so the result does not depend on the thread count.
void compact_agents(FirmArrays& firms, TalentArrays& talent, DealArrays& deals,
                    const Executor& executor);

}  // namespace clustersim
