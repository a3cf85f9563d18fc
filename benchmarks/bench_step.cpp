// Throughput of the monthly step and of its phases, as agent-updates per second (one agent
// passing through one phase or step). Run: build/python/benchmarks/clustersim_bench
// The instruction-count gate is benchmarks/gate.py (CI); the scaling table (phase x scale x
// threads, written to benchmarks/README.md) is still to come.
#include <benchmark/benchmark.h>

#include <memory>

#include "clustersim/phases/phases.hpp"
#include "clustersim/simulation.hpp"

using namespace clustersim;

namespace {

Scenario scenario_at(double scale) {
  Scenario scenario;
  scenario.set("scale", scale);
  scenario.set("horizon_year", std::int64_t{2100});
  scenario.set("output.firm_snapshots", false);
  return scenario;
}

// args: scale denominator (1, 10, 100), threads
void BM_Step(benchmark::State& state) {
  auto make = [&] {
    return std::make_unique<Simulation>(scenario_at(1.0 / static_cast<double>(state.range(0))), 1,
                                        static_cast<int>(state.range(1)));
  };
  auto sim = make();
  double agents = 0;
  for (auto _ : state) {
    if (sim->finished()) {  // start again rather than step past the horizon
      state.PauseTiming();
      sim = make();
      state.ResumeTiming();
    }
    agents += static_cast<double>(sim->firms().size());
    sim->step();
  }
  state.counters["agent_updates_per_s"] = benchmark::Counter(agents, benchmark::Counter::kIsRate);
}

void BM_GrowFirms(benchmark::State& state) {
  Simulation sim(scenario_at(1.0 / static_cast<double>(state.range(0))), 1,
                 static_cast<int>(state.range(1)));
  FirmArrays firms = sim.firms();
  Parks parks = sim.parks();
  const Executor executor(static_cast<int>(state.range(1)));
  std::uint32_t step = 1;
  for (auto _ : state) {
    grow_firms(firms, parks, sim.cells(), StepContext{sim.parameters(), executor, 1, step++});
  }
  state.counters["agent_updates_per_s"] = benchmark::Counter(
      static_cast<double>(firms.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_MeasureCells(benchmark::State& state) {
  Simulation sim(scenario_at(1.0 / static_cast<double>(state.range(0))), 1,
                 static_cast<int>(state.range(1)));
  const Executor executor(static_cast<int>(state.range(1)));
  CellStats cells;
  for (auto _ : state) measure_cells(sim.firms(), sim.parks(), sim.parameters(), executor, cells);
  state.counters["agent_updates_per_s"] = benchmark::Counter(
      static_cast<double>(sim.firms().size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_Step)->ArgsProduct({{1, 10, 100}, {1, 2}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_GrowFirms)->ArgsProduct({{1, 10, 100}, {1, 2}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MeasureCells)->ArgsProduct({{1, 10, 100}, {1, 2}})->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
