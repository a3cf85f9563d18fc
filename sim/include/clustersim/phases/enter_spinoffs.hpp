#pragma once
// Phase enter_spinoffs (docs/model.md 3.3.6).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Talent who chose to found a firm leave their employer and found it, in talent order.
void enter_spinoffs(TalentArrays& talent, FirmArrays& firms, const CellStats& cells,
                    const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows);

}  // namespace clustersim
