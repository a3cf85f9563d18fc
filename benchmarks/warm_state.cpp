#include "warm_state.hpp"

#include <unistd.h>

#include <filesystem>

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

World::World(const Simulation& sim)
    : params(sim.parameters()),
      seed(sim.seed()),
      step(sim.steps_done() + 1),
      parks(sim.parks()),
      firms(sim.firms()),
      talent(sim.talent()),
      incubators(sim.incubators()),
      funds(sim.funds()),
      deals(sim.deals()),
      cells(sim.cells()),
      city(sim.city()),
      series(sim.series()),
      momentum(sim.sector_momentum()),
      next_firm_id(sim.next_firm_id()),
      next_talent_id(sim.next_talent_id()),
      next_deal_id(sim.next_deal_id()),
      flows(sim.parks().size()),
      firm_capacity(sim.firms().id.capacity()),
      talent_capacity(sim.talent().id.capacity()),
      incubator_capacity(sim.incubators().id.capacity()),
      fund_capacity(sim.funds().id.capacity()),
      deal_capacity(sim.deals().id.capacity()) {
  // The levers of the month to come, as Simulation::step sets them before its phases.
  for (std::size_t l = 0; l < lever_count; ++l) lever_levels[l] = params.levers[l].level(year());
}

PolicyState World::policy() const {
  PolicyState policy;
  policy.level = lever_levels;
  policy.in_zone = parks.in_zone.empty() ? nullptr : &parks.in_zone;
  policy.standing = parks.standing.empty() ? nullptr : &parks.standing;
  return policy;
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
  sim.checkpoint(state->checkpoint_path, {});
  cached = std::move(state);
  return *cached;
}

std::unique_ptr<Simulation> warm_simulation(int denominator, int threads) {
  const WarmState& state = warm_state(denominator);
  std::unique_ptr<Simulation> sim =
      Simulation::restore(state.checkpoint_path, baseline_scenario(denominator), nullptr, threads);
  // A restore sizes every column exactly, so the month's first entrants would reallocate and
  // copy (and page in) every column: the capacities of the warmed run instead.
  sim->reserve_agents(state.world->firm_capacity, state.world->talent_capacity,
                      state.world->incubator_capacity, state.world->fund_capacity,
                      state.world->deal_capacity);
  return sim;
}

}  // namespace clustersim::bench
