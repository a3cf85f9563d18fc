#pragma once
// Phase grow_city (docs/model.md 3.4.4).

#include "clustersim/model/city.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// The region outside the zone grows at its own rate; its venture capital follows its revenue.
void grow_city(City& city, const StepContext& ctx);

}  // namespace clustersim
