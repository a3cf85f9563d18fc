// Random streams: the engine is the published Philox, streams are pure functions of their
// indices, and Boost's distributions over them are pinned by golden values (Boost may change).
#include <gtest/gtest.h>

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/laplace_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <vector>

#include "clustersim/core/random.hpp"

using namespace clustersim;

TEST(Random, PhiloxMatchesPublishedKnownAnswer) {
  // Random123 kat_vectors: philox4x32_10, counter 0 and key 0.
  r123::Philox4x32 philox;
  const auto out = philox({{0, 0, 0, 0}}, {{0, 0}});
  EXPECT_EQ(out.v[0], 0x6627e8d5u);
  EXPECT_EQ(out.v[1], 0xe169c58du);
  EXPECT_EQ(out.v[2], 0xbc57ac4cu);
  EXPECT_EQ(out.v[3], 0x9b00dbd8u);
}

TEST(Random, StreamGoldenValues) {
  Stream stream(7, 42, 3, Purpose::growth);
  const std::uint32_t expected[] = {2253334890u, 1998309621u, 2147111086u,
                                    3575507896u, 1117983999u, 224583545u};
  for (std::uint32_t value : expected) EXPECT_EQ(stream(), value);
}

TEST(Random, DistributionGoldenValues) {
  Stream stream(7, 42, 3, Purpose::growth);
  boost::random::normal_distribution<double> normal(0, 1);
  boost::random::laplace_distribution<double> laplace(0, 1 / std::sqrt(2.0));
  boost::random::poisson_distribution<long, double> poisson(3.5);
  boost::random::exponential_distribution<double> exponential(0.125);
  EXPECT_EQ(normal(stream), -1.2178175249186591);
  EXPECT_EQ(laplace(stream), -0.53318608482422591);
  EXPECT_EQ(poisson(stream), 1);
  EXPECT_EQ(exponential(stream), 6.8207814218729661);
}

TEST(Random, StreamsDependOnEveryIndex) {
  const auto first = [](std::uint64_t seed, std::uint64_t entity, std::uint32_t step, Purpose p) {
    Stream s(seed, entity, step, p);
    return s();
  };
  const std::uint32_t base = first(7, 42, 3, Purpose::growth);
  EXPECT_EQ(base, first(7, 42, 3, Purpose::growth));
  EXPECT_NE(base, first(8, 42, 3, Purpose::growth));
  EXPECT_NE(base, first(7, 43, 3, Purpose::growth));
  EXPECT_NE(base, first(7, 42, 4, Purpose::growth));
  EXPECT_NE(base, first(7, 42, 3, Purpose::exit));
  // The seed's high word is part of the key too.
  EXPECT_NE(base, first(7 + (std::uint64_t{1} << 32), 42, 3, Purpose::growth));
  EXPECT_NE(base, first(7, 42 + (std::uint64_t{1} << 32), 3, Purpose::growth));
}

TEST(Random, LongStreamsCrossBlocksWithoutRepeating) {
  Stream stream(1, 2, 3, Purpose::entry_attributes);
  std::uint32_t first_block[4];
  for (auto& v : first_block) v = stream();
  std::uint32_t second_block[4];
  for (auto& v : second_block) v = stream();
  EXPECT_FALSE(std::equal(first_block, first_block + 4, second_block));
}

TEST(Random, BatchedStreamsDrawWhatSingleStreamsDraw) {
  // Entities with high words set, negative ids' bit patterns, and a batch that ends part-way
  // (150 = 2 x 64 + 22), so the last batch has lanes past its end; two seeds with high words.
  std::vector<std::int64_t> entity(150);
  for (std::size_t j = 0; j < entity.size(); ++j) {
    entity[j] = static_cast<std::int64_t>(j * 0x9E3779B97F4A7C15ull) ^ 12345;
  }
  for (std::uint64_t seed : {std::uint64_t{7}, (std::uint64_t{0xDEADBEEF} << 32) | 99u}) {
    for (std::size_t begin : {std::size_t{0}, std::size_t{5}}) {
      BatchedStreams streams(seed, entity.data(), entity.size(), 1234, Purpose::talent_life);
      for (std::size_t i = begin; i < entity.size(); i += (i % 7 == 0 ? 3 : 1)) {  // skips some
        Stream batched = streams.at(i);
        Stream single(seed, static_cast<std::uint64_t>(entity[i]), 1234, Purpose::talent_life);
        // Six words: the precomputed first block, then the second block that Stream refills.
        for (int w = 0; w < 6; ++w)
          ASSERT_EQ(batched(), single()) << "entity " << i << " word " << w;
      }
    }
  }
}

TEST(Random, Uniform01IsInUnitIntervalWithTheRightMean) {
  Stream stream(11, 0, 0, Purpose::exit);
  double sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = stream.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  // Standard error of the mean is sqrt(1/12/n) = 0.0009; 5 of them is a fixed-seed margin.
  EXPECT_NEAR(sum / n, 0.5, 0.0046);
}
