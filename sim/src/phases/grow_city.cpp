#include "clustersim/phases/grow_city.hpp"

#include <cmath>

namespace clustersim {

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

}  // namespace clustersim
