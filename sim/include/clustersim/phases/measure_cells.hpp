#pragma once
// Phase measure_cells (docs/model.md 3.3.10).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Per park x sector totals of living firms (full-scale equivalents) and park occupancy.
void measure_cells(const FirmArrays& firms, const Parks& parks, const ModelParameters& params,
                   const Executor& executor, CellStats& cells,
                   const PolicyState& policy = PolicyState::neutral());

}  // namespace clustersim
