#pragma once
// Policy levers of the 2023 Opinions and Action Plan (../shared/mission/POLICY.md) as data: each
// lever has a schedule (intensity between a start and an end year) in the scenario; the kernel
// reads the lever's level for the current year through PolicyState.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace clustersim {

enum class Lever : std::uint8_t {
  evaluation,               // annual ranking, notice and removal, priority for the best parks
  focus,                    // at most three leading industries per park, support inside them
  land_supply,              // new industrial land and clean-land supply
  standard_factories,       // standard plots and factories: "let space wait for projects"
  industry_upstairs,        // multi-storey factories: more floor space on the same land
  plot_consolidation,       // small scattered plots consolidated
  leader_packages,          // service packages for chain leaders and tech leaders
  title_services,           // services for unicorns, hidden champions and little giants
  consortia,                // innovation consortia led by large firms
  new_incubators,           // new high-quality incubators
  incubator_upgrades,       // upgrading existing incubators
  relay_incubation,         // relay incubation with parks
  proof_of_concept,         // proof-of-concept centres and university science parks
  advance_incubation,       // advance incubation of frontier technology
  government_fund,          // the government innovation (guidance) fund
  incubation_investment,    // incubation-investment linkage
  corporate_vc,             // corporate venture funds of tech leaders
  investment_loan,          // investment-loan linkage with banks
  talent_training,          // training of scarce talent, engineering master/PhD pilots
  postdoc_stations,         // postdoctoral stations in firms
  international_talent,     // international talent communities and talent ports
  ip_protection,            // fast examination, grant and enforcement of IP
  ip_pledge_loans,          // IP pledge loans, securitisation and insurance
  open_innovation,          // open-innovation centres of large firms
  choke_point,              // open competitions on choke-point technologies
  ic_programme,             // IC design and automotive-grade chips
  biomedicine_programme,    // "R&D in Zhangjiang + manufacturing in Shanghai"
  ai_compute,               // AI compute and data infrastructure
  global_network,           // cross-border flows of data, talent and capital
  cross_park_coordination,  // zone committee, cross-park coordination, pilot reforms
};
inline constexpr std::size_t lever_count = 30;

struct LeverInfo {
  std::string_view key;    // scenario key under "policy.", e.g. "land.supply"
  std::string_view group;  // the lever group of POLICY.md
  std::string_view summary;
};
const std::array<LeverInfo, lever_count>& lever_catalogue();
inline const LeverInfo& lever_info(Lever lever) {
  return lever_catalogue()[static_cast<std::size_t>(lever)];
}

// A lever's schedule: `intensity` (1 = as announced, 0 = off) from January of start_year to
// December of end_year.
struct LeverSchedule {
  double intensity{};
  std::int64_t start_year{};
  std::int64_t end_year{};

  double level(int year) const { return year >= start_year && year <= end_year ? intensity : 0.0; }
};

// The levers' levels during one step and the parks they reach. A park whose plaque was removed
// is outside the zone and gets no lever's benefits.
struct PolicyState {
  std::array<double, lever_count> level{};
  const std::vector<std::uint8_t>* in_zone = nullptr;  // per park; null: every park
  const std::vector<std::int8_t>* standing = nullptr;  // per park (Standing); null: all normal

  double at(Lever lever) const { return level[static_cast<std::size_t>(lever)]; }
  double at(Lever lever, std::size_t park) const {
    return in_zone == nullptr || (*in_zone)[park] ? at(lever) : 0.0;
  }
  // The evaluation lever's level at a park that holds priority, else 0.
  double priority(std::size_t park) const;
  // Every lever off: what phases see when no policy is given (unit tests, the counterfactual).
  static const PolicyState& neutral() {
    static const PolicyState state{};
    return state;
  }
};

// Park standing after the annual evaluation.
enum class Standing : std::int8_t { removed = -2, notified = -1, normal = 0, priority = 1 };

inline double PolicyState::priority(std::size_t park) const {
  return standing != nullptr && (*standing)[park] == static_cast<std::int8_t>(Standing::priority)
             ? at(Lever::evaluation, park)
             : 0.0;
}

}  // namespace clustersim
