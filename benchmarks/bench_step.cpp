// The whole monthly step, on the warmed Simulation restored from its checkpoint onto each thread
// count, and whole runs of the default scenario.
#include <chrono>
#include <memory>
#include <vector>

#include "registry.hpp"
#include "warm_state.hpp"

namespace clustersim::bench {
namespace {

// One call: the twelve months from February 2023 (a December and a January among them) on a
// fresh restore of the warmed Simulation, so that every scale and thread count steps the same
// months. Time and agents are per call; the script divides by `months`.
constexpr int months_per_call = 12;

void time_step(benchmark::State& state, int denominator, int threads) {
  using clock = std::chrono::steady_clock;
  double agent_updates = 0, stepped_s = 0;
  // On an arena of one thread the steps' parallel regions are recorded: the scaling bounds.
  std::vector<Executor::Region> regions;
  for (auto _ : state) {
    state.PauseTiming();
    std::unique_ptr<Simulation> sim = warm_simulation(denominator, threads);
    if (threads == 1) sim->record_regions(&regions);
    state.ResumeTiming();
    const clock::time_point begun = clock::now();
    for (int month = 0; month < months_per_call; ++month) {
      agent_updates += static_cast<double>(agents(*sim));
      sim->step();
    }
    stepped_s += std::chrono::duration<double>(clock::now() - begun).count();
  }
  if (threads == 1) report_scaling_bounds(state, regions, stepped_s);
  const double months = months_per_call * static_cast<double>(state.iterations());
  state.counters["months"] = benchmark::Counter(months_per_call);
  state.counters["agents"] = benchmark::Counter(agent_updates / months);
  state.counters["agent_updates_per_s"] =
      benchmark::Counter(agent_updates, benchmark::Counter::kIsRate);
}

// baseline.toml from the base year to the horizon, population generation included; `agents`
// is the population at the end (what bytes per agent of peak memory divide by).
void time_run(benchmark::State& state, int denominator, int threads) {
  double agent_updates = 0, agents_at_end = 0;
  for (auto _ : state) {
    Simulation sim(baseline_scenario(denominator), bench_seed, threads);
    while (!sim.finished()) {
      agent_updates += static_cast<double>(agents(sim));
      sim.step();
    }
    agents_at_end = static_cast<double>(agents(sim));
  }
  state.counters["agents"] = benchmark::Counter(agents_at_end);
  state.counters["agent_updates_per_s"] =
      benchmark::Counter(agent_updates, benchmark::Counter::kIsRate);
}

}  // namespace

void register_step_benchmarks(int denominator) {
  for (int threads : thread_counts) {
    benchmark::RegisterBenchmark(
        case_name("step", denominator, threads).c_str(),
        [=](benchmark::State& state) { time_step(state, denominator, threads); })
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  }
}

void register_run_benchmarks(int denominator) {
  for (int threads : thread_counts) {
    if (threads == 0) continue;  // the serial reference is for phases and steps
    benchmark::RegisterBenchmark(
        case_name("run", denominator, threads).c_str(),
        [=](benchmark::State& state) { time_run(state, denominator, threads); })
        ->Iterations(1)
        ->Repetitions(1)  // a whole run is long enough to time once
        ->UseRealTime()
        ->Unit(benchmark::kSecond);
  }
}

}  // namespace clustersim::bench
