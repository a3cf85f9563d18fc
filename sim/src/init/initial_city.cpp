#include <cmath>

#include "clustersim/init/population.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

City initial_city(const CellStats& cells, const ModelParameters& p) {
  // The region outside the zone is sized so that the zone's measured base-year revenue is
  // exactly its share of the city's (population.zone_*_share), industry by industry.
  City city;
  const std::size_t n_parks = cells.revenue_cny.size() / sector_count;
  for (std::size_t s = 0; s < leading_count; ++s) {
    double zone = 0.0;
    for (std::size_t k = 0; k < n_parks; ++k)
      zone += cells.revenue_cny[cell_index(k, static_cast<int>(s))];
    const double share = zone_share(p, s);
    city.outside_revenue_cny[s] = share > 0.0 ? zone * (1.0 - share) / share : 0.0;
    city.outside_talent[s] = city.outside_revenue_cny[s] / revenue_per_employee_cny(p, 0);
  }
  return city;
}

}  // namespace clustersim
