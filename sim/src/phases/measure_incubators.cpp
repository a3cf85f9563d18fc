#include "clustersim/phases/measure_incubators.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void measure_incubators(const IncubatorArrays& incubators, const ModelParameters& params,
                        CellStats& cells) {
  std::fill(cells.incubators.begin(), cells.incubators.end(), 0.0);
  std::fill(cells.high_quality_incubators.begin(), cells.high_quality_incubators.end(), 0.0);
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    const auto park = static_cast<std::size_t>(incubators.park[k]);
    cells.incubators[park] += 1.0 / params.scale;
    cells.high_quality_incubators[park] += incubators.high_quality[k] / params.scale;
  }
}

}  // namespace clustersim
