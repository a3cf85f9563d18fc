#pragma once
// Phase talent_arrivals (docs/model.md 3.3.7).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// New talent: founding teams of the leading-sector firms in [first_new_firm, end_new_firm),
// graduates (in the graduation month), training programmes and international arrivals.
void talent_arrivals(TalentArrays& talent, const FirmArrays& firms, std::size_t first_new_firm,
                     std::size_t end_new_firm, const Parks& parks, const CellStats& cells,
                     const StepContext& ctx, std::int64_t& next_talent_id, StepFlows& flows);

}  // namespace clustersim
