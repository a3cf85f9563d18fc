#pragma once
// Phase measure_talent (docs/model.md 3.3.11).

#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Per park x sector talent and job seekers (full-scale equivalents).
void measure_talent(const TalentArrays& talent, const ModelParameters& params,
                    const Executor& executor, CellStats& cells);

}  // namespace clustersim
