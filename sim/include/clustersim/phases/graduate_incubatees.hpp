#pragma once
// Phase graduate_incubatees (docs/model.md 3.3.13).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Incubatees that exited count as failures; those past the incubation period graduate into
// park space when their park has room (relay incubation), and all leave at the maximum.
void graduate_incubatees(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                         const StepContext& ctx, StepFlows& flows);

}  // namespace clustersim
