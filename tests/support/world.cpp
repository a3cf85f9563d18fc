#include "world.hpp"

namespace clustersim::test_support {

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

}  // namespace clustersim::test_support
