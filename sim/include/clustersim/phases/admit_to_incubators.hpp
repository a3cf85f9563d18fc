#pragma once
// Phase admit_to_incubators (docs/model.md 3.3.15).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// The incubator of a park and industry with room and the highest quality (ties: lower id), or
// -1 if none.
std::int32_t best_incubator_with_room(const IncubatorArrays& incubators, std::int16_t park,
                                      int sector);

// New leading-sector firms from index `first` that apply are admitted, in firm order, by the
// best incubator of their park and industry that has room.
void admit_to_incubators(IncubatorArrays& incubators, FirmArrays& firms, std::size_t first,
                         const StepContext& ctx, StepFlows& flows);

}  // namespace clustersim
