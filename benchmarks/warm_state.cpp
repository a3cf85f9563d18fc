#include "warm_state.hpp"

#include <unistd.h>

#include <filesystem>

#include "clustersim/io/checkpoint.hpp"

namespace clustersim::bench {

Scenario baseline_scenario(int denominator) {
  Scenario scenario;
  scenario.set("scale", 1.0 / static_cast<double>(denominator));
  scenario.set("horizon_year", std::int64_t{2035});
  scenario.set("output.firm_snapshots", false);
  for (const LeverInfo& lever : lever_catalogue()) {
    scenario.set("policy." + std::string(lever.key) + ".intensity", 1.0);
    scenario.set("policy." + std::string(lever.key) + ".start_year", std::int64_t{2023});
  }
  return scenario;
}

WarmState::~WarmState() { std::filesystem::remove(checkpoint_path); }

const WarmState& warm_state(int denominator) {
  static std::unique_ptr<WarmState> cached;
  if (cached && cached->denominator == denominator) return *cached;
  cached.reset();  // free the other scale first: two full-scale states need not fit at once
  // Two threads for speed: the state does not depend on the thread count.
  Simulation sim(baseline_scenario(denominator), bench_seed, 2);
  for (std::uint32_t s = 0; s < warm_up_steps; ++s) sim.step();
  auto state = std::make_unique<WarmState>();
  state->denominator = denominator;
  state->world = std::make_unique<const World>(sim);
  state->checkpoint_path =
      (std::filesystem::temp_directory_path() / ("clustersim-bench-" + std::to_string(getpid()) +
                                                 "-1in" + std::to_string(denominator) + ".h5"))
          .string();
  write_checkpoint(sim, state->checkpoint_path, {});
  cached = std::move(state);
  return *cached;
}

std::unique_ptr<Simulation> warm_simulation(int denominator, int threads) {
  const WarmState& state = warm_state(denominator);
  std::unique_ptr<Simulation> sim =
      restore_checkpoint(state.checkpoint_path, baseline_scenario(denominator), nullptr, threads);
  // A restore sizes every column exactly, so the month's first entrants would reallocate and
  // copy (and page in) every column: the capacities of the warmed run instead.
  sim->reserve_agents(state.world->firm_capacity, state.world->talent_capacity,
                      state.world->incubator_capacity, state.world->fund_capacity,
                      state.world->deal_capacity);
  return sim;
}

}  // namespace clustersim::bench
