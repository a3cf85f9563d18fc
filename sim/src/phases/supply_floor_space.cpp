#include <cmath>

#include "clustersim/phases/phases.hpp"

namespace clustersim {

void supply_floor_space(Parks& parks, const StepContext& ctx) {
  // Compounded monthly so that a year's growth equals the annual rate.
  const double monthly = std::pow(1.0 + ctx.params.floor_space_growth, 1.0 / months_per_year);
  for (double& space : parks.floor_space_m2) space *= monthly;
}

}  // namespace clustersim
