#pragma once
// Phase relocate_firms (docs/model.md 3.3.24).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/model/city.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Firms in congested parks or short of talent move, with a probability rising with the
// pressure, to a park with room and talent, nearer ones preferred; their talent move with them.
// Some leading-industry firms leave the zone for the rest of the city instead (not venture-backed
// ones); their talent leave with them.
void relocate_firms(FirmArrays& firms, TalentArrays& talent, const Parks& parks,
                    const CellStats& cells, const StepContext& ctx, City& city, StepFlows& flows);

}  // namespace clustersim
