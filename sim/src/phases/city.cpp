#include <cmath>

#include "clustersim/phases/phases.hpp"

namespace clustersim {

City initial_city(const CellStats& cells, const ModelParameters& p) {
  // The region outside the zone is sized so that the zone's measured base-year revenue is
  // exactly population.zone_leading_share of the city's, industry by industry.
  City city;
  const std::size_t n_parks = cells.revenue_cny.size() / sector_count;
  for (std::size_t s = 0; s < leading_count; ++s) {
    double zone = 0.0;
    for (std::size_t k = 0; k < n_parks; ++k)
      zone += cells.revenue_cny[cell_index(k, static_cast<int>(s))];
    city.outside_revenue_cny[s] = p.zone_leading_share > 0.0
                                      ? zone * (1.0 - p.zone_leading_share) / p.zone_leading_share
                                      : 0.0;
    city.outside_talent[s] = city.outside_revenue_cny[s] / revenue_per_employee_cny(p, 0);
  }
  return city;
}

void grow_city(City& city, const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  city.moved_in_revenue_cny = {};
  city.firms_moved_in = 0.0;
  double revenue = 0.0;
  for (std::size_t s = 0; s < leading_count; ++s) {
    double growth = p.city_outside_growth[s];
    // "Manufacturing in Shanghai": the biomedicine programme also grows the rest of the city.
    if (s == static_cast<std::size_t>(Sector::biomedicine)) {
      growth += p.biomedicine_programme_city_drift * ctx.policy.at(Lever::biomedicine_programme);
    }
    city.outside_revenue_cny[s] *= std::exp(growth / months_per_year);
    revenue += city.outside_revenue_cny[s];
  }
  city.outside_vc_cny = p.city_vc_per_revenue * revenue / months_per_year;
}

void measure_city(City& city, const ModelParameters& p, std::uint32_t step) {
  for (std::size_t s = 0; s < leading_count; ++s) {
    city.outside_talent[s] = city.outside_revenue_cny[s] / revenue_per_employee_cny(p, step);
  }
}

}  // namespace clustersim
