#pragma once
// Phase measure_city (docs/model.md 3.4.4).

#include "clustersim/model/city.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Talent of the region outside the zone from its revenue.
void measure_city(City& city, const ModelParameters& params, std::uint32_t step);

}  // namespace clustersim
