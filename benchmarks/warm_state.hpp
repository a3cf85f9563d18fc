#pragma once
// The state the benchmarks time phases on: the baseline scenario warmed up for thirteen months
// (through January 2023, so that the levers act, funds hold deals, incubators hold incubatees and
// a year of revenue gives vc_deals its momentum), built once per scale and shared.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "clustersim/phases/phases.hpp"
#include "clustersim/simulation.hpp"

namespace clustersim::bench {

// Every benchmark of a run uses this seed, the one the README's CLI run uses too.
inline constexpr std::uint64_t bench_seed = 7;
inline constexpr std::uint32_t warm_up_steps = 13;

// scenarios/baseline.toml (every lever at intensity 1 from 2023, the default population) at
// 1/denominator scale, without snapshots. tests/python/test_benchmarks_script.py checks that
// it matches the file.
Scenario baseline_scenario(int denominator);

// One month's state as the phases see it: copies of a Simulation's arrays plus the month's
// scratch (flows, where this month's new firms begin), so that a phase can be run on it
// again and again.
struct World {
  ModelParameters params;
  std::uint64_t seed = bench_seed;
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

  explicit World(const Simulation& sim);
  int year() const { return base_year + static_cast<int>((step - 1) / 12); }
  std::size_t agents() const {
    return firms.size() + talent.size() + incubators.size() + funds.size() + deals.size();
  }
  // The levers of this month, read against this world's parks (as Simulation::update_policy).
  PolicyState policy() const;
};

// Firms, talent, incubators, funds and deals: what one whole step passes over.
inline std::size_t agents(const Simulation& sim) {
  return sim.firms().size() + sim.talent().size() + sim.incubators().size() + sim.funds().size() +
         sim.deals().size();
}

// Built on first use and kept until another scale is asked for (the suite runs scale by
// scale, and a full-scale state is a few hundred MB).
struct WarmState {
  int denominator;
  std::unique_ptr<const World> world;  // the month after the warm-up, before any phase
  std::string checkpoint_path;         // the warmed Simulation, for benchmarks of whole steps
  ~WarmState();
};
const WarmState& warm_state(int denominator);

// The warmed Simulation, restored from its checkpoint onto `threads`.
std::unique_ptr<Simulation> warm_simulation(int denominator, int threads);

}  // namespace clustersim::bench
