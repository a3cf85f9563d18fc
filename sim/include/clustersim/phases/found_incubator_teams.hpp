#pragma once
// Phase found_incubator_teams (docs/model.md 3.3.14).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Founding teams from universities and proof-of-concept centres, founded inside incubators
// that have room (new firms, already incubated).
void found_incubator_teams(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                           const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows);

}  // namespace clustersim
