// The kernel's benchmark suite: every phase of the step, the step and whole runs, at 1/100,
// 1/10 and full scale. Besides Google Benchmark's flags it takes --scales=100,10,1 (the
// denominators to register; the default is all three) and --threads=0,1,2,4,8,16 (the thread
// counts; the default 0,1,2, 0 being the serial reference).
//   build/python/benchmarks/clustersim_bench --scales=100 --benchmark_filter='phase/grow'
//   clustersim_bench --scales=1 --threads=1,2,4,8,16 --benchmark_filter=run/
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "registry.hpp"

namespace {

// Takes `flag`=a,b,c out of argv (Google Benchmark rejects flags it does not know); `fallback`
// where the flag is absent.
std::vector<int> take_list(int& argc, char** argv, const char* flag, std::vector<int> fallback) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag, std::strlen(flag)) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    fallback.clear();
    std::stringstream list(argv[i] + std::strlen(flag));
    for (std::string item; std::getline(list, item, ',');) {
      std::size_t used = 0;
      const int value = std::stoi(item, &used);
      if (used != item.size() || value < 0) throw std::invalid_argument(item);
      fallback.push_back(value);
    }
  }
  argc = kept;
  return fallback;
}

// --benchmark_min_time (left in argv), which the phases' own timing loop follows too.
double min_time_s(int argc, char** argv) {
  const char* flag = "--benchmark_min_time=";
  double seconds = 0.5;  // Google Benchmark's default
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag, std::strlen(flag)) == 0) {
      seconds = std::stod(argv[i] + std::strlen(flag));
    }
  }
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace clustersim::bench;
  std::vector<int> scales;
  double phase_min_time_s = 0;
  try {
    scales = take_list(argc, argv, "--scales=", {100, 10, 1});
    thread_counts = take_list(argc, argv, "--threads=", {0, 1, 2});
    phase_min_time_s = min_time_s(argc, argv);
    for (int denominator : scales) {
      if (denominator < 1) throw std::invalid_argument("scale");
    }
  } catch (const std::exception&) {
    std::cerr << "clustersim_bench: expected --scales=100,10 (positive denominators), "
                 "--threads=0,1,2,4 (thread counts, 0 the serial reference) and a number of "
                 "seconds for --benchmark_min_time\n";
    return 2;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  // Scale by scale, so that each scale's warmed state is built once.
  for (int denominator : scales) {
    register_phase_benchmarks(denominator, phase_min_time_s);
    register_step_benchmarks(denominator);
  }
  for (int denominator : scales) register_run_benchmarks(denominator);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
