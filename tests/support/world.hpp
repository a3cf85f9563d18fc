#pragma once
// One month's state as the phases see it, for tests and benchmarks: copies of a Simulation's
// arrays plus the month's scratch (flows, where this month's new firms begin), so that a phase
// can be run on it again and again, or two versions of a phase on two copies.

#include <array>
#include <cstdint>
#include <vector>

#include "clustersim/phases/phases.hpp"
#include "clustersim/simulation.hpp"

namespace clustersim::test_support {

struct World {
  ModelParameters params;
  std::uint64_t seed = 0;
  std::uint32_t step = 0;  // the month being stepped
  std::array<double, lever_count> lever_levels{};
  Parks parks;
  FirmArrays firms;
  TalentArrays talent;
  IncubatorArrays incubators;
  FundArrays funds;
  DealArrays deals;
  CellStats cells;
  City city;
  SeriesBook series;
  std::vector<double> momentum;
  std::int64_t next_firm_id = 0, next_talent_id = 0, next_deal_id = 0;
  StepFlows flows{0};
  std::size_t first_new_firm = 0, first_spinoff = 0;
  // Room the Simulation's columns had (Column grows by half when full; a copy keeps only the
  // size). Phases that append (new firms, talent, deals, funds) reallocate only when a real run
  // would, if the benchmarks restore their input into buffers of this capacity.
  std::size_t firm_capacity = 0, talent_capacity = 0, incubator_capacity = 0, fund_capacity = 0,
              deal_capacity = 0;

  // The month after the Simulation's last step, before any of its phases.
  explicit World(const Simulation& sim);
  int year() const { return base_year + static_cast<int>((step - 1) / 12); }
  std::size_t agents() const {
    return firms.size() + talent.size() + incubators.size() + funds.size() + deals.size();
  }
  // The levers of this month, read against this world's parks (as Simulation::update_policy).
  PolicyState policy() const;
};

}  // namespace clustersim::test_support
