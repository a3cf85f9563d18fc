#pragma once
// Counter-based random streams: Philox4x32-10 (Random123) keyed by the run's seed and indexed by
// (entity, step, purpose). Any agent's draws are reproducible alone, whatever the thread count.

#include <Random123/philox.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>

namespace clustersim {

// What a stream is for; part of the counter so that two purposes never share draws.
enum class Purpose : std::uint16_t {
  initial_population = 1,
  productivity = 2,
  growth = 3,
  exit = 4,
  entry_count = 5,
  entry_attributes = 6,
  initial_sizes = 7,
  talent_life = 8,
  talent_arrival_count = 9,
  talent_attributes = 10,
  initial_talent = 11,
  incubation = 12,
  incubator_teams = 13,
  initial_incubators = 14,
  vc_seek = 15,
  vc_exit = 16,
  fund_raising = 17,
  vc_screening = 18,
  innovation = 19,
  relocation = 20,
  policy_incubators = 21,
  initial_unicorns = 22,
};

// A UniformRandomBitGenerator (32-bit) over one Philox counter block sequence, used as the engine
// under Boost.Random distributions. Up to 2^16 blocks (2^18 words) per (entity, step, purpose).
class Stream {
 public:
  using result_type = std::uint32_t;

  Stream(std::uint64_t seed, std::uint64_t entity, std::uint32_t step, Purpose purpose) {
    start(seed, entity, step, purpose);
    refill();
  }

  // The same stream, whose first block was computed already (by first_blocks).
  Stream(std::uint64_t seed, std::uint64_t entity, std::uint32_t step, Purpose purpose,
         const std::uint32_t (&first_block)[4]) {
    start(seed, entity, step, purpose);
    block_ = {{first_block[0], first_block[1], first_block[2], first_block[3]}};
  }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

  result_type operator()() {
    if (next_ == 4) {
      // The low 16 bits count blocks within this purpose; wrapping would reuse another
      // purpose's numbers, so a stream that long is a programming error.
      if ((++counter_.v[3] & 0xFFFFu) == 0) throw std::length_error("random stream exhausted");
      refill();
    }
    return block_.v[next_++];
  }

  // Uniform on [0, 1) with 32 bits of resolution, for simple Bernoulli draws.
  double uniform01() { return static_cast<double>((*this)()) * 0x1p-32; }

 private:
  using Philox = r123::Philox4x32;
  void start(std::uint64_t seed, std::uint64_t entity, std::uint32_t step, Purpose purpose) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    counter_ = {{static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32), step,
                 static_cast<std::uint32_t>(purpose) << 16}};
  }
  void refill() {
    block_ = Philox()(counter_, key_);
    next_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type counter_;
  Philox::ctr_type block_;
  int next_ = 0;
};

// The first Philox blocks of up to `lanes` streams that differ only in their entity, computed
// eight at a time with AVX2 where the CPU has it (checked once, at the first call), else one at
// a time. The arithmetic is Philox4x32-10's, so block j is bit-identical to the first block of
// Stream(seed, entity[j], step, purpose).
struct FirstBlocks {
  static constexpr std::size_t lanes = 64;
  alignas(64) std::uint32_t word[4][lanes];

  // Block j as Stream's constructor takes it.
  void get(std::size_t j, std::uint32_t (&block)[4]) const {
    for (int w = 0; w < 4; ++w) block[w] = word[w][j];
  }
};

// Fills out.word[.][j] for j < n (an n above FirstBlocks::lanes counts as lanes); lanes from n on
// are unspecified.
void first_blocks(std::uint64_t seed, const std::int64_t* entity, std::size_t n, std::uint32_t step,
                  Purpose purpose, FirstBlocks& out);

// The streams of agents visited in increasing index order (a block's loop), for one purpose:
// each agent's first block comes from a batch of FirstBlocks::lanes agents computed at once.
// at(i) returns what Stream(seed, entity[i], step, purpose) would.
class BatchedStreams {
 public:
  BatchedStreams(std::uint64_t seed, const std::int64_t* entity, std::size_t end,
                 std::uint32_t step, Purpose purpose)
      : seed_(seed), entity_(entity), end_(end), step_(step), purpose_(purpose) {}

  Stream at(std::size_t i) {
    if (i < batch_begin_ || i >= batch_begin_ + FirstBlocks::lanes) {
      batch_begin_ = i;
      first_blocks(seed_, entity_ + i, end_ - i, step_, purpose_, batch_);
    }
    std::uint32_t block[4];
    batch_.get(i - batch_begin_, block);
    return Stream(seed_, static_cast<std::uint64_t>(entity_[i]), step_, purpose_, block);
  }

 private:
  std::uint64_t seed_;
  const std::int64_t* entity_;
  std::size_t end_;
  std::uint32_t step_;
  Purpose purpose_;
  std::size_t batch_begin_ = std::numeric_limits<std::size_t>::max() - FirstBlocks::lanes;
  FirstBlocks batch_;
};

}  // namespace clustersim
