#pragma once
// Phase measure_incubators (docs/model.md 3.3.17).

#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Incubators and high-quality incubators per park (full-scale equivalents).
void measure_incubators(const IncubatorArrays& incubators, const ModelParameters& params,
                        CellStats& cells);

}  // namespace clustersim
