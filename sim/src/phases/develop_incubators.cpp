#include "clustersim/phases/develop_incubators.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void develop_incubators(IncubatorArrays& incubators, const Parks& parks, const CellStats& cells,
                        const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  // Upgrades: every incubator of a park the lever reaches gains quality.
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    const auto park = static_cast<std::size_t>(incubators.park[k]);
    incubators.quality[k] +=
        p.incubator_upgrade_quality * ctx.policy.at(Lever::incubator_upgrades, park);
  }
  // New incubators: a Poisson number (full scale times the scale), each in the leading-industry
  // cell of the zone with the most firms per incubator (ties: cell order).
  const double expected =
      p.new_incubators_per_year * ctx.policy.at(Lever::new_incubators) * p.scale;
  if (expected <= 0.0) return;
  Stream stream(ctx.seed, 0, ctx.step, Purpose::policy_incubators);
  boost::random::poisson_distribution<std::int64_t, double> founded(expected);
  const std::int64_t count = founded(stream);
  std::vector<double> per_cell(parks.size() * sector_count, 0.0);
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    per_cell[cell_index(static_cast<std::size_t>(incubators.park[k]), incubators.sector[k])] += 1.0;
  }
  for (std::int64_t n = 0; n < count; ++n) {
    std::size_t best = per_cell.size();
    double best_load = -1.0;
    for (std::size_t k = 0; k < parks.size(); ++k) {
      if (!parks.is_in_zone(k)) continue;
      for (int s = 0; s < static_cast<int>(leading_count); ++s) {
        const std::size_t c = cell_index(k, s);
        const double load = cells.firms[c] / (per_cell[c] + 1.0);
        if (load > best_load) {
          best_load = load;
          best = c;
        }
      }
    }
    if (best == per_cell.size()) return;
    const std::size_t i = incubators.size();
    incubators.resize(i + 1);
    incubators.id[i] = i == 0 ? 0 : incubators.id[i - 1] + 1;
    incubators.park[i] = static_cast<std::int16_t>(best / sector_count);
    incubators.sector[i] = static_cast<std::uint8_t>(best % sector_count);
    incubators.alive[i] = 1;
    incubators.capacity[i] = std::max<std::int32_t>(
        1, static_cast<std::int32_t>(std::lround(p.incubators_mean_capacity)));
    incubators.quality[i] = p.new_incubators_quality;
    incubators.high_quality[i] = 0;
    incubators.occupants[i] = 0;
    incubators.admissions_year[i] = 0;
    incubators.graduations_year[i] = 0;
    incubators.failures_year[i] = 0;
    incubators.years_meeting[i] = 0;
    incubators.years_failing[i] = 0;
    incubators.last_score[i] = 0.0;
    per_cell[best] += 1.0;
  }
}

}  // namespace clustersim
