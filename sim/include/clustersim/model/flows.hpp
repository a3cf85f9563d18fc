#pragma once
// What happened during one step, counted in agents: the flows the series record and the
// step's audit checks.

#include <cstddef>
#include <vector>

#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/parks.hpp"

namespace clustersim {

// What happened during one step, counted in agents (the recorder rescales to full scale).
// Per cell (park x sector) unless noted.
struct StepFlows {
  std::vector<double> entries, exits, spinoffs;
  std::vector<double> hires, talent_arrivals, talent_departures;
  std::vector<double> talent_left_zone;  // staff of firms that left for the rest of the city
  std::vector<double> incubator_admissions, graduations;
  std::vector<double> vc_invested, vc_rounds, ipos, acquisitions, write_offs;
  std::vector<double> vc_invested_by_round;  // park x round, row-major
  std::vector<double> innovations, patents, pct_applications;
  std::vector<double> firm_moves;    // park x park, row-major: origin, destination
  std::vector<double> talent_moves;  // park x park, row-major: origin, destination
  // For the step audit (check_step_accounts), not recorded as series:
  std::vector<double> firms_left_zone;   // firms that moved to the rest of the city, per cell
  std::vector<double> talent_relocated;  // park x park: staff moved with their firm
  double operating_cash_cny = 0.0;       // all firms: revenue x margin of the month
  // The month's fiscal cost of the levers per lever group (CNY, full scale: budgets, not agents).
  std::vector<double> policy_cost_cny;

  // Sized for `parks` parks: the flows that series record by their series' shape
  // (model/series.cpp, where each series is declared), the audit's own flows here.
  explicit StepFlows(std::size_t parks);
};

}  // namespace clustersim
