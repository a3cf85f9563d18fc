#pragma once
// The 22 parks: static description and the state that changes month by month, as arrays.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "clustersim/model/sectors.hpp"

namespace clustersim {

struct Parks {
  std::vector<std::string> id, name, name_zh, district;
  std::vector<double> area_km2, longitude, latitude;
  std::vector<std::uint8_t> leading_mask;
  std::vector<double> base_revenue_cny;  // base-year (2022) annual revenue (full scale)
  std::vector<double> floor_space_m2;    // usable floor space (full scale), grows with land supply
  std::vector<double> distance_km;       // park x park great-circle distances, row-major

  // Standing after the annual evaluation (docs/model.md, "Evaluation and elimination"); empty
  // in hand-built test parks, which are all in the zone.
  std::vector<std::uint8_t> in_zone;  // 0 once the plaque is removed: outside the zone's totals
  std::vector<std::int8_t> standing;  // Standing
  std::vector<std::int32_t> strikes;  // consecutive failed evaluations
  std::vector<double> score;          // composite score at the last evaluation (NaN: none)
  // The park administration's extra effort since its last evaluation: the level, per unit of
  // the evaluation lever's, at which it runs its own land, space and incubator programmes.
  std::vector<double> effort;
  std::vector<std::uint8_t> focus_mask;  // named industries kept under the focus lever

  // Fills the standing: every park in the zone, normal, and its named industries kept.
  void reset_standing(std::int64_t max_named, const std::vector<double>& base_cell_revenue_cny);
  bool is_in_zone(std::size_t park) const { return in_zone.empty() || in_zone[park] != 0; }

  std::size_t size() const { return id.size(); }
  bool names_leading(std::size_t park, int sector) const {
    return (leading_mask[park] >> sector) & 1u;
  }
  // Named under the focus lever: at most policy.focus.max_named of the park's industries.
  bool keeps_named(std::size_t park, int sector) const {
    return focus_mask.empty() ? names_leading(park, sector) : ((focus_mask[park] >> sector) & 1u);
  }
  double distance(std::size_t from, std::size_t to) const {
    return distance_km[from * size() + to];
  }
};

// Per park x sector aggregates of the firm population, in full-scale equivalents (agent sums
// divided by the scale). Index: park * sector_count + sector.
struct CellStats {
  std::vector<double> firms, employees, revenue_cny;
  std::vector<double> log_productivity_mean;  // employment-weighted
  std::vector<double> used_floor_space_m2;    // per park
  std::vector<double> occupancy;              // per park: used / available floor space
  std::vector<double> talent, seeking;        // talent agents in the cell, of whom seeking a job
  std::vector<double> vacancies;              // unfilled vacancies at the month's end
  std::vector<double> incubated;              // firms in incubators
  std::vector<double> unicorns;               // firms holding the unicorn title
  std::vector<double> stage_counts;           // cell x stage: firms by stage
  std::vector<double> rd_spending_cny;        // R&D spending rate (CNY/year)
  std::vector<double> new_firm_revenue_cny;   // revenue rate of firms founded during the run
  std::vector<double> chain_leader_log_productivity;        // per cell; -inf without a chain leader
  std::vector<double> incubators, high_quality_incubators;  // per park

  void resize(std::size_t parks) {
    const std::size_t cells = parks * sector_count;
    talent.assign(cells, 0.0);
    seeking.assign(cells, 0.0);
    vacancies.assign(cells, 0.0);
    incubated.assign(cells, 0.0);
    unicorns.assign(cells, 0.0);
    stage_counts.assign(cells * stage_count, 0.0);
    rd_spending_cny.assign(cells, 0.0);
    new_firm_revenue_cny.assign(cells, 0.0);
    chain_leader_log_productivity.assign(cells, -std::numeric_limits<double>::infinity());
    incubators.assign(parks, 0.0);
    high_quality_incubators.assign(parks, 0.0);
    firms.assign(cells, 0.0);
    employees.assign(cells, 0.0);
    revenue_cny.assign(cells, 0.0);
    log_productivity_mean.assign(cells, 0.0);
    used_floor_space_m2.assign(parks, 0.0);
    occupancy.assign(parks, 0.0);
  }
};

inline std::size_t cell_index(std::size_t park, int sector) {
  return park * sector_count + static_cast<std::size_t>(sector);
}

}  // namespace clustersim
