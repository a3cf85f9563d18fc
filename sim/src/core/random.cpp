#include "clustersim/core/random.hpp"

namespace clustersim {

// target_clones: an AVX2 version (vpmuludq, eight lanes of 32-bit words) chosen at load time where
// the CPU has it, the baseline x86-64 one elsewhere. Integer arithmetic only, so both give the
// same words.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
void first_blocks(std::uint64_t seed, const std::int64_t* entity, std::size_t n,
                  std::uint32_t step, Purpose purpose, FirstBlocks& out) {
  constexpr std::size_t lanes = FirstBlocks::lanes;
  std::uint32_t c0[lanes], c1[lanes], c2[lanes], c3[lanes];
  const std::size_t used = n < lanes ? n : lanes;
  for (std::size_t j = 0; j < lanes; ++j) {
    const auto e = static_cast<std::uint64_t>(j < used ? entity[j] : 0);
    c0[j] = static_cast<std::uint32_t>(e);
    c1[j] = static_cast<std::uint32_t>(e >> 32);
    c2[j] = step;
    c3[j] = static_cast<std::uint32_t>(purpose) << 16;
  }
  std::uint32_t k0 = static_cast<std::uint32_t>(seed);
  std::uint32_t k1 = static_cast<std::uint32_t>(seed >> 32);
  for (int round = 0; round < 10; ++round) {
    if (round > 0) {  // Random123's bumpkey, between rounds
      k0 += 0x9E3779B9u;
      k1 += 0xBB67AE85u;
    }
    for (std::size_t j = 0; j < lanes; ++j) {
      const std::uint64_t p0 = std::uint64_t{0xD2511F53u} * c0[j];
      const std::uint64_t p1 = std::uint64_t{0xCD9E8D57u} * c2[j];
      const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
      const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
      const std::uint32_t n0 = hi1 ^ c1[j] ^ k0, n2 = hi0 ^ c3[j] ^ k1;
      c0[j] = n0;
      c1[j] = lo1;
      c2[j] = n2;
      c3[j] = lo0;
    }
  }
  for (std::size_t j = 0; j < lanes; ++j) {
    out.word[0][j] = c0[j];
    out.word[1][j] = c1[j];
    out.word[2][j] = c2[j];
    out.word[3][j] = c3[j];
  }
}

}  // namespace clustersim
