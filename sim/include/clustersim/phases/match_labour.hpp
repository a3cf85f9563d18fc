#pragma once
// Phase match_labour (docs/model.md 3.3.8).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// The labour market of each park x leading sector: searchers ranked by skill meet vacancies
// ranked by wage offer (sorting, O(N log N)); the employed accept only a better wage.
void match_labour(TalentArrays& talent, const FirmArrays& firms, const StepContext& ctx,
                  StepFlows& flows);

}  // namespace clustersim
