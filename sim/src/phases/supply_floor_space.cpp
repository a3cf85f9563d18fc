#include "clustersim/phases/supply_floor_space.hpp"

#include <cmath>

#include "clustersim/model/rules.hpp"

namespace clustersim {

void supply_floor_space(Parks& parks, const CellStats& cells, const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  // Compounded monthly so that a year's growth equals the annual rate.
  const double monthly = std::pow(1.0 + p.floor_space_growth, 1.0 / months_per_year);
  for (std::size_t k = 0; k < parks.size(); ++k) {
    parks.floor_space_m2[k] *= monthly;
    double extra_growth = p.land_supply_growth * ctx.policy.at(Lever::land_supply, k);
    if (!parks.standing.empty() &&
        parks.standing[k] == static_cast<std::int8_t>(Standing::priority)) {
      extra_growth +=
          p.evaluation_priority_floor_space_growth * ctx.policy.at(Lever::evaluation, k);
    }
    if (extra_growth > 0.0) {
      parks.floor_space_m2[k] *= std::pow(1.0 + extra_growth, 1.0 / months_per_year);
    }
    // Industry upstairs: multi-storey factories on the land already in use.
    const double upstairs = p.upstairs_gain * ctx.policy.at(Lever::industry_upstairs, k);
    if (upstairs > 0.0 && k < cells.used_floor_space_m2.size()) {
      parks.floor_space_m2[k] += upstairs * cells.used_floor_space_m2[k] / months_per_year;
    }
  }
}

}  // namespace clustersim
