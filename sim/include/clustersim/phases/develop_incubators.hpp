#pragma once
// Phase develop_incubators (docs/model.md 3.4.6).

#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// January, incubation levers: new high-quality incubators (in the park and industry with the
// most firms per incubator) and upgrades of the quality of every incubator in the zone.
void develop_incubators(IncubatorArrays& incubators, const Parks& parks, const CellStats& cells,
                        const StepContext& ctx);

}  // namespace clustersim
