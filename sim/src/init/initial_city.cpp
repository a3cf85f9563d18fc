#include <cmath>

#include "clustersim/init/population.hpp"
#include "clustersim/model/rules.hpp"

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

}  // namespace clustersim
