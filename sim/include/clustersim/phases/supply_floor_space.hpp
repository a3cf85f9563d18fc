#pragma once
// Phase supply_floor_space (docs/model.md 3.3.1).

#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Land supply: each park's floor space grows at the scenario's rate, plus the land levers (new
// land, industry upstairs in proportion to the space used) and a priority park's extra land.
void supply_floor_space(Parks& parks, const CellStats& cells, const StepContext& ctx);

}  // namespace clustersim
