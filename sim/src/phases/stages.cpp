#include <algorithm>

#include "clustersim/phases/phases.hpp"

namespace clustersim {

Stage classify_stage(double revenue_cny, std::int32_t age_months, Stage current,
                     const ModelParameters& params) {
  if (current > Stage::large) return current;  // titles are awarded and withdrawn elsewhere
  if (revenue_cny >= params.stage_large_revenue_cny) return Stage::large;
  // A firm that has left the start-up stage never returns to it (nor to its cash burn).
  if (current != Stage::startup || revenue_cny >= params.stage_growth_revenue_cny ||
      age_months >= params.startup_max_age_years * months_per_year) {
    return Stage::growth;
  }
  return Stage::startup;
}

double congestion(double occupancy, const ModelParameters& params) {
  return std::max(0.0, (occupancy - params.congestion_onset) / (1.0 - params.congestion_onset));
}

double space_factor(double occupancy, const ModelParameters& params) {
  return std::clamp(1.0 - congestion(occupancy, params), 0.0, 1.0);
}

}  // namespace clustersim
