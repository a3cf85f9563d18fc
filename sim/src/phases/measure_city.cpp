#include "clustersim/phases/measure_city.hpp"

#include <cmath>

namespace clustersim {

void measure_city(City& city, const ModelParameters& p, std::uint32_t step) {
  for (std::size_t s = 0; s < leading_count; ++s) {
    city.outside_talent[s] = city.outside_revenue_cny[s] / revenue_per_employee_cny(p, step);
  }
}

}  // namespace clustersim
