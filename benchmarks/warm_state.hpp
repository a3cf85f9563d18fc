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
#include "world.hpp"

namespace clustersim::bench {

// Every benchmark of a run uses this seed, the one the README's CLI run uses too.
inline constexpr std::uint64_t bench_seed = 7;
inline constexpr std::uint32_t warm_up_steps = 13;

// scenarios/baseline.toml (every lever at intensity 1 from 2023, the default population) at
// 1/denominator scale, without snapshots. tests/python/test_benchmarks_script.py checks that
// it matches the file.
Scenario baseline_scenario(int denominator);

using test_support::World;

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
