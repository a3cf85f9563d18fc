#pragma once
// Counter-based random streams: Philox4x32-10 (Random123) keyed by the run's seed and indexed by
// (entity, step, purpose). Any agent's draws are reproducible alone, whatever the thread count.

#include <Random123/philox.h>

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
};

// A UniformRandomBitGenerator (32-bit) over one Philox counter block sequence, used as the engine
// under Boost.Random distributions. Up to 2^16 blocks (2^18 words) per (entity, step, purpose).
class Stream {
 public:
  using result_type = std::uint32_t;

  Stream(std::uint64_t seed, std::uint64_t entity, std::uint32_t step, Purpose purpose) {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    counter_ = {{static_cast<std::uint32_t>(entity), static_cast<std::uint32_t>(entity >> 32), step,
                 static_cast<std::uint32_t>(purpose) << 16}};
    refill();
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
  void refill() {
    block_ = Philox()(counter_, key_);
    next_ = 0;
  }

  Philox::key_type key_;
  Philox::ctr_type counter_;
  Philox::ctr_type block_;
  int next_ = 0;
};

}  // namespace clustersim
