#pragma once
// Phase staff_firms (docs/model.md 3.3.9).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Leading-sector firms' head count from their talent; the staffing gap shrinks by the hires.
// Team skill: the staff's mean log skill, summed in fixed point (the same for any thread count).
void staff_firms(FirmArrays& firms, const TalentArrays& talent, const Executor& executor);

}  // namespace clustersim
