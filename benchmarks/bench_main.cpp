// The kernel's benchmark suite: every phase of the step, the step and whole runs, at 1/100,
// 1/10 and full scale. Besides Google Benchmark's flags it takes --scales=100,10,1 (the
// denominators to register; the default is all three).
//   build/python/benchmarks/clustersim_bench --scales=100 --benchmark_filter='phase/grow'
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "registry.hpp"

namespace {

// Takes --scales=... out of argv (Google Benchmark rejects flags it does not know).
std::vector<int> take_scales(int& argc, char** argv) {
  std::vector<int> scales = {100, 10, 1};
  const char* flag = "--scales=";
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], flag, std::strlen(flag)) != 0) {
      argv[kept++] = argv[i];
      continue;
    }
    scales.clear();
    std::stringstream list(argv[i] + std::strlen(flag));
    for (std::string item; std::getline(list, item, ',');) scales.push_back(std::stoi(item));
  }
  argc = kept;
  return scales;
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
    scales = take_scales(argc, argv);
    phase_min_time_s = min_time_s(argc, argv);
  } catch (const std::exception&) {
    std::cerr << "clustersim_bench: expected --scales=100,10 (denominators) and a number of "
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
