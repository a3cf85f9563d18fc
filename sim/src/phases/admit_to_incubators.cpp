#include "clustersim/phases/admit_to_incubators.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"
#include "incubation.hpp"

namespace clustersim {

// The best incubator (highest quality, then lowest id) of a park and industry with room, or -1.
std::int32_t best_incubator_with_room(const IncubatorArrays& incubators, std::int16_t park,
                                      int sector) {
  std::int32_t best = -1;
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    if (incubators.park[k] != park || incubators.sector[k] != sector ||
        incubators.occupants[k] >= incubators.capacity[k]) {
      continue;
    }
    if (best < 0 || incubators.quality[k] > incubators.quality[static_cast<std::size_t>(best)]) {
      best = static_cast<std::int32_t>(k);
    }
  }
  return best;
}

void admit_to_incubators(IncubatorArrays& incubators, FirmArrays& firms, std::size_t first,
                         const StepContext& ctx, StepFlows& flows) {
  for (std::size_t i = first; i < firms.size(); ++i) {
    if (firms.incubator[i] >= 0 || !is_leading(firms.sector[i])) continue;
    Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step, Purpose::incubation);
    if (stream.uniform01() >= ctx.params.incubators_admission_share) continue;
    const std::int32_t k = best_incubator_with_room(incubators, firms.park[i], firms.sector[i]);
    if (k < 0) continue;
    admit(incubators, firms, i, k);
    flows.incubator_admissions[cell_index(static_cast<std::size_t>(firms.park[i]),
                                          firms.sector[i])] += 1.0;
  }
}

}  // namespace clustersim
