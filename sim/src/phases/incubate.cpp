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

void found_incubator_teams(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                           const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    const std::int32_t room = incubators.capacity[k] - incubators.occupants[k];
    const auto park = static_cast<std::size_t>(incubators.park[k]);
    // Proof-of-concept centres feed more teams.
    const double monthly =
        p.incubators_university_teams_per_year *
        (1.0 + p.proof_of_concept_team_gain * ctx.policy.at(Lever::proof_of_concept, park)) /
        months_per_year;
    if (room <= 0 || monthly <= 0.0) continue;
    Stream stream(ctx.seed, static_cast<std::uint64_t>(incubators.id[k]), ctx.step,
                  Purpose::incubator_teams);
    boost::random::poisson_distribution<std::int32_t, double> teams(monthly);
    const std::int32_t founded = std::min(teams(stream), room);
    for (std::int32_t n = 0; n < founded; ++n) {
      const std::size_t i = append_new_firm(firms, next_firm_id++, incubators.park[k],
                                            incubators.sector[k], cells, ctx);
      // Advance incubation: frontier-technology teams start more productive.
      const double advance =
          p.advance_incubation_productivity * ctx.policy.at(Lever::advance_incubation, park);
      if (advance > 0.0) firms.productivity[i] *= std::exp(advance);
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
