// Phase award_titles (docs/model.md 3.3.23): titles by the documented criteria, on hand-made
// firms.
#include <gtest/gtest.h>

#include "clustersim/phases/award_titles.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;

TEST(AwardTitles, ByTheDocumentedCriteria) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = FirmsBuilder(5).revenue(2e8).sector(Sector::ic).cash(0.0).build();
  firms.revenue_cny[0] = 5e10;  // the largest IC firm of park 0, above 20 bn: chain leader
  firms.revenue_cny[1] = 3e10;  // large, old and the most productive: hidden champion
  firms.productivity[1] = 10.0;
  firms.revenue_cny[2] = 2e8;  // an SME with IC's R&D intensity, 10 years old: little giant
  firms.revenue_cny[3] = 2e8;  // the same, but 2 years old: no title
  firms.age_months[3] = 24;
  firms.stage[4] = static_cast<std::uint8_t>(Stage::unicorn);  // set by its valuation: kept
  award_titles(firms, p, Executor(2));
  EXPECT_EQ(firms.stage[0], static_cast<std::uint8_t>(Stage::chain_leader));
  EXPECT_EQ(firms.stage[1], static_cast<std::uint8_t>(Stage::hidden_champion));
  EXPECT_EQ(firms.stage[2], static_cast<std::uint8_t>(Stage::little_giant));
  EXPECT_EQ(firms.stage[3], static_cast<std::uint8_t>(Stage::growth));
  EXPECT_EQ(firms.stage[4], static_cast<std::uint8_t>(Stage::unicorn));
  // A little giant that shrinks below the bound returns to its size class.
  firms.revenue_cny[2] = 5e7;
  award_titles(firms, p, Executor(2));
  EXPECT_EQ(firms.stage[2], static_cast<std::uint8_t>(Stage::growth));
}

TEST(AwardTitles, AUnicornDoesNotBlockItsCellsChainLeader) {
  const ModelParameters p = Scenario().parameters();
  FirmArrays firms = FirmsBuilder(2).revenue(6e10).sector(Sector::ai).cash(0.0).build();
  firms.stage[0] = static_cast<std::uint8_t>(Stage::unicorn);
  firms.revenue_cny[0] = 9e10;  // the largest, but a (private) unicorn
  award_titles(firms, p, Executor(2));
  EXPECT_EQ(firms.stage[0], static_cast<std::uint8_t>(Stage::unicorn));
  EXPECT_EQ(firms.stage[1], static_cast<std::uint8_t>(Stage::chain_leader));
}

TEST(AwardTitles, LittleGiantsAndHiddenChampionsAreTheirSectorsMoreProductive) {
  const ModelParameters p = Scenario().parameters();
  // Ten IC SMEs that meet the little-giant size, age and R&D criteria, productivities 1..10.
  FirmArrays firms = FirmsBuilder(10).revenue(2e8).sector(Sector::ic).cash(0.0).build();
  for (std::size_t i = 0; i < 10; ++i) firms.productivity[i] = static_cast<double>(i + 1);
  award_titles(firms, p, Executor(2));
  // The bound is the value of rank floor(q x 9) among the ten (section 3.3.23).
  const auto bound = static_cast<std::size_t>(p.little_giant_productivity_quantile * 9.0);
  ASSERT_GT(bound, 0u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(firms.stage[i] == static_cast<std::uint8_t>(Stage::little_giant), i >= bound) << i;
  }
  // With the quantile at 0 every firm that meets the other criteria is named.
  Scenario all;
  all.set("firms.titles.little_giant_productivity_quantile", 0.0);
  award_titles(firms, all.parameters(), Executor(2));
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(firms.stage[i], static_cast<std::uint8_t>(Stage::little_giant)) << i;
  }
}
