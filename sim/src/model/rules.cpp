#include "clustersim/model/rules.hpp"

#include <algorithm>
#include <cmath>

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

double monthly_probability(double annual) {
  return 1.0 - std::pow(1.0 - std::min(annual, 1.0), 1.0 / months_per_year);
}

double wage_offer(double productivity, const ModelParameters& params) {
  return params.talent_base_wage_cny *
         std::pow(productivity, params.talent_wage_productivity_elasticity);
}

std::int32_t initial_head_count(double revenue_cny, double productivity, int sector,
                                const ModelParameters& params, std::uint32_t step) {
  const double staff =
      std::min(revenue_cny / (revenue_per_employee_cny(params, step) * productivity), 2e9);
  return static_cast<std::int32_t>(
      std::max(1.0, is_leading(sector) ? std::ceil(staff) : std::round(staff)));
}

double rd_intensity(int sector, std::size_t park, const ModelParameters& p,
                    const PolicyState& policy) {
  return p.rd_intensity[static_cast<std::size_t>(sector)] *
         (1.0 + p.ip_protection_rd_gain * policy.at(Lever::ip_protection, park));
}

}  // namespace clustersim
