// The fixed workload of the instruction-count gate (benchmarks/gate.py): a 1/100 sample of the
// baseline, every lever on, two years on the serial reference (threads = 0), so that the count of
// instructions of each phase depends only on the code and the toolchain, not on scheduling.
#include <cstdio>

#include "clustersim/simulation.hpp"

int main() {
  using namespace clustersim;
  Scenario scenario;
  scenario.set("scale", 0.01);
  scenario.set("horizon_year", std::int64_t{2023});
  for (const LeverInfo& lever : lever_catalogue()) {
    scenario.set("policy." + std::string(lever.key) + ".intensity", 1.0);
  }
  Simulation sim(scenario, 7, 0);
  sim.run_until(2023);
  std::printf("%zu firms, %zu talent after %u steps\n", sim.firms().size(), sim.talent().size(),
              sim.steps_done());
  return 0;
}
