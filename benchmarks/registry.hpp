#pragma once
// Registration of the suite: names, the counters every case reports, and one entry point per
// kind of case, called by bench_main.cpp scale by scale so that the warmed state of one scale
// serves all its cases before the next is built.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace clustersim::bench {

// 0 is the serial reference; n >= 1 runs on a oneTBB arena of n threads. bench_main.cpp sets
// the list from --threads=0,1,2,4,8,16 before registering (default 0, 1, 2); whole runs take
// the counts from 1 up.
inline std::vector<int> thread_counts = {0, 1, 2};

// "<kind>/scale:1/<denominator>/threads:<threads>", the form benchmarks/run_benchmarks.py parses.
inline std::string case_name(const std::string& kind, int denominator, int threads) {
  return kind + "/scale:1/" + std::to_string(denominator) + "/threads:" + std::to_string(threads);
}

// `agents`: what one call passes over; `agent_updates_per_s`: agents x calls over the time.
inline void report_agent_updates(benchmark::State& state, double agents_per_call) {
  state.counters["agents"] = benchmark::Counter(agents_per_call);
  state.counters["agent_updates_per_s"] = benchmark::Counter(
      agents_per_call * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// min_time_s: phase time per case (Google Benchmark's --benchmark_min_time, which the step uses).
void register_phase_benchmarks(int denominator, double min_time_s);  // bench_phases.cpp
void register_step_benchmarks(int denominator);                      // bench_step.cpp
void register_run_benchmarks(int denominator);                       // bench_step.cpp

}  // namespace clustersim::bench
