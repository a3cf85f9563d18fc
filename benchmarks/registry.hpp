#pragma once
// Registration of the suite: names, the counters every case reports, and one entry point per
// kind of case, called by bench_main.cpp scale by scale so that the warmed state of one scale
// serves all its cases before the next is built.

#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "clustersim/core/parallel.hpp"

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

// Scaling bounds from a run on an arena of one thread (benchmarks/README.md, "Scaling"): of
// `total_s` seconds, the recorded parallel regions took theirs and the rest ran serially. On P
// threads a region is taken to last as long as a greedy schedule of its tasks, in task order,
// each to the thread that frees first (what work stealing approaches); the serial rest as long
// as on one thread. Counters: parallel_share, and speedup_bound_P for P = 4, 8, 16: upper
// bounds, since they leave out a worker's wake-up, memory bandwidth and shared caches.
inline double region_makespan(const std::vector<double>& task_seconds, int threads) {
  std::vector<double> free_at(static_cast<std::size_t>(threads), 0.0);
  for (double seconds : task_seconds) {
    *std::min_element(free_at.begin(), free_at.end()) += seconds;
  }
  return *std::max_element(free_at.begin(), free_at.end());
}

inline void report_scaling_bounds(benchmark::State& state,
                                  const std::vector<clustersim::Executor::Region>& regions,
                                  double total_s) {
  double parallel_s = 0;
  for (const auto& region : regions) parallel_s += region.seconds;
  const double serial_s = std::max(0.0, total_s - parallel_s);
  state.counters["parallel_share"] = benchmark::Counter(total_s > 0 ? parallel_s / total_s : 0);
  for (int threads : {4, 8, 16}) {
    double estimate_s = serial_s;
    for (const auto& region : regions) {
      // The region's own overhead (entering the arena, scheduling) is kept as on one thread.
      double tasks_s = 0;
      for (double seconds : region.task_seconds) tasks_s += seconds;
      const double overhead_s = std::max(0.0, region.seconds - tasks_s);
      estimate_s += overhead_s + region_makespan(region.task_seconds, threads);
    }
    state.counters["speedup_bound_" + std::to_string(threads)] =
        benchmark::Counter(estimate_s > 0 ? total_s / estimate_s : 1.0);
  }
}

// min_time_s: phase time per case (Google Benchmark's --benchmark_min_time, which the step uses).
void register_phase_benchmarks(int denominator, double min_time_s);  // bench_phases.cpp
void register_step_benchmarks(int denominator);                      // bench_step.cpp
void register_run_benchmarks(int denominator);                       // bench_step.cpp

}  // namespace clustersim::bench
