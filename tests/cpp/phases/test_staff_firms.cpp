// Phase staff_firms (docs/model.md 3.3.9): head counts and team skill from the talent.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "clustersim/phases/staff_firms.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::hiring_firms;
using test_support::seekers;

// Team skill is an exact fixed-point sum (2^-32 log points): firms whose staff lie in one block
// of talent and firms whose staff are spread over several blocks (interleaved, some dead, some
// seeking) get the same bits on every executor and for any number of stripes (threads), within
// 2^-32 log points of the floating-point mean.
TEST(StaffFirms, TeamSkillIsTheSameFixedPointSumOnEveryExecutor) {
  const std::size_t n_firms = 40, n_talent = 3 * Executor::block_size + 123;
  FirmArrays reference = hiring_firms(n_firms, 5).build();
  for (std::size_t f = 0; f < n_firms; ++f) reference.employees[f] = 3;
  TalentArrays talent = seekers(n_talent).build();
  std::uint64_t state = 12345;
  auto next = [&state] { return state = state * 6364136223846793005ull + 1442695040888963407ull; };
  for (std::size_t t = 0; t < n_talent; ++t) {
    // Three firms per block hire only there (firms 0-11); firms 10-39 hire everywhere.
    const std::uint64_t r = next() >> 33;
    const std::size_t block = t / Executor::block_size;
    const std::int32_t f = r % 3 == 0   ? -1
                           : r % 3 == 1 ? static_cast<std::int32_t>(block * 3 + (r / 3) % 3)
                                        : static_cast<std::int32_t>(10 + (r / 3) % 30);
    talent.employer_index[t] = f;
    talent.employer[t] = f >= 0 ? reference.id[static_cast<std::size_t>(f)] : -1;
    talent.skill[t] = static_cast<double>(next() >> 11) * 0x1p-53 * 3.0 - 1.0;
    talent.alive[t] = (next() >> 40) % 10 != 0;
  }
  std::vector<std::int32_t> staff(n_firms, 0);
  std::vector<std::int64_t> fixed_skill(n_firms, 0);
  std::vector<double> float_skill(n_firms, 0.0);
  for (std::size_t t = 0; t < n_talent; ++t) {
    if (!talent.alive[t] || talent.employer_index[t] < 0) continue;
    const auto f = static_cast<std::size_t>(talent.employer_index[t]);
    ++staff[f];
    fixed_skill[f] += static_cast<std::int64_t>(talent.skill[t] * 0x1p32);  // toward zero
    float_skill[f] += talent.skill[t];
  }
  for (int threads : {0, 1, 2, 3, 5}) {
    FirmArrays firms = reference;
    staff_firms(firms, talent, Executor(threads));
    for (std::size_t f = 0; f < n_firms; ++f) {
      ASSERT_GT(staff[f], 0) << "firm " << f;
      EXPECT_EQ(firms.employees[f], staff[f]) << "firm " << f << ", threads " << threads;
      EXPECT_EQ(firms.team_skill[f], static_cast<double>(fixed_skill[f]) * 0x1p-32 / staff[f])
          << "firm " << f << ", threads " << threads;
      // Each term loses less than 2^-32 to the truncation; the float sum's rounding is far
      // smaller than that for a few hundred terms of magnitude <= 2.
      EXPECT_NEAR(firms.team_skill[f], float_skill[f] / staff[f], 0x1p-32);
      EXPECT_EQ(firms.staffing_gap[f], 5 + 3 - staff[f]);
    }
  }
}
