#include "clustersim/phases/graduate_incubatees.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void graduate_incubatees(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                         const StepContext& ctx, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    const std::int32_t k = firms.incubator[i];
    if (k < 0) continue;
    const auto incubator = static_cast<std::size_t>(k);
    const std::size_t park = static_cast<std::size_t>(firms.park[i]);
    bool leaves = false;
    if (!firms.alive[i]) {
      incubators.failures_year[incubator] += 1;
      leaves = true;
    } else {
      firms.incubated_months[i] += 1;
      // Graduating needs floor space in the park; at the maximum, leave anyway.
      // The relay lever holds space for graduates: they see occupancy lower.
      const double occupancy =
          cells.occupancy[park] *
          (1.0 - p.relay_space_share * ctx.policy.at(Lever::relay_incubation, park));
      // A crowded park delays graduation toward the maximum in proportion to its congestion.
      const double wait =
          static_cast<double>(p.incubators_max_incubation_months - p.incubators_incubation_months) *
          (1.0 - space_factor(occupancy, p));
      const bool due = firms.incubated_months[i] >= p.incubators_incubation_months + wait;
      if (due || firms.incubated_months[i] >= p.incubators_max_incubation_months) {
        incubators.graduations_year[incubator] += 1;
        flows.graduations[cell_index(park, firms.sector[i])] += 1.0;
        leaves = true;
      }
    }
    if (leaves) {
      firms.incubator[i] = -1;
      incubators.occupants[incubator] -= 1;
    }
  }
}

}  // namespace clustersim
