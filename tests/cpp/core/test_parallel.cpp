#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "clustersim/core/parallel.hpp"

using namespace clustersim;

TEST(Executor, VisitsEveryIndexExactlyOnce) {
  for (int threads : {0, 1, 2, 4}) {
    Executor executor(threads);
    const std::size_t n = 3 * Executor::block_size + 17;
    std::vector<int> visits(n, 0);
    executor.for_each(n, [&](std::size_t i) { visits[i] += 1; });
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(visits[i], 1) << "threads " << threads;
  }
}

TEST(Executor, ReductionIsBitIdenticalForAnyThreadCount) {
  // Values whose sum depends on the order of addition.
  const std::size_t n = 10 * Executor::block_size + 5;
  std::vector<double> values(n);
  for (std::size_t i = 0; i < n; ++i) values[i] = std::sin(static_cast<double>(i)) * 1e6 + 1e-6 * i;
  auto sum_with = [&](int threads) {
    Executor executor(threads);
    return executor.reduce(
        n, 0.0,
        [&](double& part, std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i) part += values[i];
        },
        [](double& total, const double& part) { total += part; });
  };
  const double serial = sum_with(0);
  for (int threads : {1, 2, 4, 8}) EXPECT_EQ(serial, sum_with(threads)) << threads;
}

TEST(Executor, RejectsNegativeThreads) { EXPECT_THROW(Executor(-1), std::invalid_argument); }
