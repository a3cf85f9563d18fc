#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/phases/phases.hpp"

namespace clustersim {

namespace {

void admit(IncubatorArrays& incubators, FirmArrays& firms, std::size_t i, std::int32_t k) {
  firms.incubator[i] = k;
  firms.incubated_months[i] = 0;
  incubators.occupants[static_cast<std::size_t>(k)] += 1;
  incubators.admissions_year[static_cast<std::size_t>(k)] += 1;
}

}  // namespace

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
      // Relay incubation: graduating needs floor space in the park; at the maximum, leave anyway.
      const bool due = firms.incubated_months[i] >= p.incubators_incubation_months &&
                       space_factor(cells.occupancy[park], p) > 0.0;
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

void found_incubator_teams(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                           const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const double monthly = p.incubators_university_teams_per_year / months_per_year;
  if (monthly <= 0.0) return;
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    const std::int32_t room = incubators.capacity[k] - incubators.occupants[k];
    if (room <= 0) continue;
    Stream stream(ctx.seed, static_cast<std::uint64_t>(incubators.id[k]), ctx.step,
                  Purpose::incubator_teams);
    boost::random::poisson_distribution<std::int32_t, double> teams(monthly);
    const std::int32_t founded = std::min(teams(stream), room);
    for (std::int32_t n = 0; n < founded; ++n) {
      const std::size_t i = append_new_firm(firms, next_firm_id++, incubators.park[k],
                                            incubators.sector[k], cells, ctx);
      admit(incubators, firms, i, static_cast<std::int32_t>(k));
      const std::size_t c = cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
      flows.entries[c] += 1.0;
      flows.incubator_admissions[c] += 1.0;
    }
  }
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

void evaluate_incubators(IncubatorArrays& incubators, const ModelParameters& params) {
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    // Net graduations per place: incubators that turn out firms that last score well.
    const double score =
        static_cast<double>(incubators.graduations_year[k] - incubators.failures_year[k]) /
        static_cast<double>(std::max(incubators.capacity[k], 1));
    incubators.last_score[k] = score;
    if (score >= params.incubators_high_quality_score) {
      incubators.years_meeting[k] += 1;
      incubators.years_failing[k] = 0;
    } else {
      incubators.years_failing[k] += 1;
      incubators.years_meeting[k] = 0;
    }
    if (incubators.years_meeting[k] >= params.incubators_status_years)
      incubators.high_quality[k] = 1;
    if (incubators.years_failing[k] >= params.incubators_status_years)
      incubators.high_quality[k] = 0;
  }
}

void start_incubator_year(IncubatorArrays& incubators) {
  // After December's snapshot has recorded the year's counts.
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    incubators.admissions_year[k] = 0;
    incubators.graduations_year[k] = 0;
    incubators.failures_year[k] = 0;
  }
}

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
