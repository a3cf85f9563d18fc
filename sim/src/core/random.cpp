#include "clustersim/core/random.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CLUSTERSIM_HAVE_AVX2_PATH 1
#endif

namespace clustersim {

namespace {

// Lanes [first, n), one stream at a time: the first four words of each Stream are its first
// block. The reference, the path for CPUs without AVX2, and the AVX2 path's last few lanes.
void first_blocks_scalar(std::uint64_t seed, const std::int64_t* entity, std::size_t first,
                         std::size_t n, std::uint32_t step, Purpose purpose, FirstBlocks& out) {
  for (std::size_t j = first; j < n; ++j) {
    Stream stream(seed, static_cast<std::uint64_t>(entity[j]), step, purpose);
    for (int w = 0; w < 4; ++w) out.word[w][j] = stream();
  }
}

#ifdef CLUSTERSIM_HAVE_AVX2_PATH
// Eight streams per 256-bit register: the 32 x 32 -> 64-bit products of the even lanes and of
// the odd lanes (shifted down) come from two vpmuludq, and blends put the low and high halves
// back in lane order. The same integer arithmetic as Random123's rounds and key bumps.
__attribute__((target("avx2"))) void first_blocks_avx2(std::uint64_t seed,
                                                       const std::int64_t* entity, std::size_t n,
                                                       std::uint32_t step, Purpose purpose,
                                                       FirstBlocks& out) {
  const __m256i m0 = _mm256_set1_epi64x(0xD2511F53), m1 = _mm256_set1_epi64x(0xCD9E8D57);
  std::size_t j = 0;
  for (; j + 8 <= n; j += 8) {
    // The entities' low and high words, in lane order.
    const __m256i e_lo4 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entity + j));
    const __m256i e_hi4 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(entity + j + 4));
    // Pack 2 x 4 int64 into 8 low words and 8 high words.
    const __m256i perm = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const __m256i a = _mm256_permutevar8x32_epi32(e_lo4, perm);  // lo0..3 | hi0..3
    const __m256i b = _mm256_permutevar8x32_epi32(e_hi4, perm);  // lo4..7 | hi4..7
    __m256i c0 = _mm256_permute2x128_si256(a, b, 0x20);
    __m256i c1 = _mm256_permute2x128_si256(a, b, 0x31);
    __m256i c2 = _mm256_set1_epi32(static_cast<int>(step));
    __m256i c3 = _mm256_set1_epi32(static_cast<int>(static_cast<std::uint32_t>(purpose) << 16));
    std::uint32_t k0 = static_cast<std::uint32_t>(seed);
    std::uint32_t k1 = static_cast<std::uint32_t>(seed >> 32);
    for (int round = 0; round < 10; ++round) {
      if (round > 0) {  // Random123's bumpkey, between rounds
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
      }
      const __m256i p0_even = _mm256_mul_epu32(c0, m0);
      const __m256i p0_odd = _mm256_mul_epu32(_mm256_srli_epi64(c0, 32), m0);
      const __m256i p1_even = _mm256_mul_epu32(c2, m1);
      const __m256i p1_odd = _mm256_mul_epu32(_mm256_srli_epi64(c2, 32), m1);
      const __m256i lo0 = _mm256_blend_epi32(p0_even, _mm256_slli_epi64(p0_odd, 32), 0xAA);
      const __m256i hi0 = _mm256_blend_epi32(_mm256_srli_epi64(p0_even, 32), p0_odd, 0xAA);
      const __m256i lo1 = _mm256_blend_epi32(p1_even, _mm256_slli_epi64(p1_odd, 32), 0xAA);
      const __m256i hi1 = _mm256_blend_epi32(_mm256_srli_epi64(p1_even, 32), p1_odd, 0xAA);
      const __m256i n0 =
          _mm256_xor_si256(_mm256_xor_si256(hi1, c1), _mm256_set1_epi32(static_cast<int>(k0)));
      const __m256i n2 =
          _mm256_xor_si256(_mm256_xor_si256(hi0, c3), _mm256_set1_epi32(static_cast<int>(k1)));
      c0 = n0;
      c1 = lo1;
      c2 = n2;
      c3 = lo0;
    }
    _mm256_store_si256(reinterpret_cast<__m256i*>(&out.word[0][j]), c0);
    _mm256_store_si256(reinterpret_cast<__m256i*>(&out.word[1][j]), c1);
    _mm256_store_si256(reinterpret_cast<__m256i*>(&out.word[2][j]), c2);
    _mm256_store_si256(reinterpret_cast<__m256i*>(&out.word[3][j]), c3);
  }
  first_blocks_scalar(seed, entity, j, n, step, purpose, out);  // the last few
}
#endif

}  // namespace

void first_blocks(std::uint64_t seed, const std::int64_t* entity, std::size_t n, std::uint32_t step,
                  Purpose purpose, FirstBlocks& out) {
  if (n > FirstBlocks::lanes) n = FirstBlocks::lanes;
#ifdef CLUSTERSIM_HAVE_AVX2_PATH
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) {
    first_blocks_avx2(seed, entity, n, step, purpose, out);
    return;
  }
#endif
  first_blocks_scalar(seed, entity, 0, n, step, purpose, out);
}

}  // namespace clustersim
