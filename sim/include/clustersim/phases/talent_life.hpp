#pragma once
// Phase talent_life (docs/model.md 3.3.4).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Talent's month (per agent, parallel): ageing and skill growth, retirement and departure,
// release from exited or over-staffed employers, spin-off founding, and the choice of a market
// to search (the home park, or another by distance and vacancies).
void talent_life(TalentArrays& talent, const FirmArrays& firms, const Parks& parks,
                 const CellStats& cells, const StepContext& ctx, StepFlows& flows);

}  // namespace clustersim
