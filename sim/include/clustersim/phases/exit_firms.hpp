#pragma once
// Phase exit_firms (docs/model.md 3.3.3).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Exit by age- and size-dependent hazard (lower while incubated), or when cash runs out. Adds
// exits (agents) per cell.
void exit_firms(FirmArrays& firms, const IncubatorArrays& incubators, const StepContext& ctx,
                std::vector<double>& exits_per_cell);

}  // namespace clustersim
