// Phase award_titles (docs/model.md 3.3.23): titles by the documented criteria, on hand-made
// firms.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/phases/award_titles.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::FirmsBuilder;

// A scenario whose lists name the top half of their candidates: one candidate rounds to one
// title (the defaults name 2.5 % and 40 %, which round a lone candidate down to none).
ModelParameters half_named() {
  Scenario scenario;
  scenario.set("firms.titles.hidden_champion_productivity_quantile", 0.5);
  scenario.set("firms.titles.little_giant_productivity_quantile", 0.5);
  return scenario.parameters();
}

TEST(AwardTitles, ByTheDocumentedCriteria) {
  const ModelParameters p = half_named();
  FirmArrays firms = FirmsBuilder(5).revenue(2e8).sector(Sector::ic).cash(0.0).build();
  firms.revenue_cny[0] = 5e10;  // the largest IC firm of park 0, above 20 bn: chain leader
  firms.revenue_cny[1] = 3e10;  // large, old, the only candidate: hidden champion
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
  // The list names the top share (1 - q) of the candidates, rounded (section 3.3.23).
  const auto named =
      static_cast<std::size_t>(std::floor((1.0 - p.little_giant_productivity_quantile) * 10 + 0.5));
  ASSERT_GT(named, 0u);
  ASSERT_LT(named, 10u);
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(firms.stage[i] == static_cast<std::uint8_t>(Stage::little_giant), i >= 10 - named)
        << i;
  }
  // With the quantile at 0 every firm that meets the other criteria is named.
  Scenario all;
  all.set("firms.titles.little_giant_productivity_quantile", 0.0);
  award_titles(firms, all.parameters(), Executor(2));
  for (std::size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(firms.stage[i], static_cast<std::uint8_t>(Stage::little_giant)) << i;
  }
}

TEST(AwardTitles, TheListsRankCandidatesNotEveryFirm) {
  Scenario scenario;
  scenario.set("firms.titles.hidden_champion_productivity_quantile", 0.8);
  const ModelParameters p = scenario.parameters();
  // Ten IC firms that meet the hidden-champion size and age criteria, productivities 1..10, and
  // twenty young entrants more productive than any of them. The entrants meet no list's age
  // criterion, so they must not take the incumbents' titles (docs/model.md 3.3.23, step 1):
  // when the lists ranked every firm, a wider entrants' spread took titles away.
  FirmArrays firms =
      FirmsBuilder(30)
          .revenue([](std::size_t i) { return i < 10 ? 1e9 : 2e8; })
          .productivity([](std::size_t i) { return i < 10 ? static_cast<double>(i + 1) : 100.0; })
          .sector(Sector::ic)
          .cash(0.0)
          .build();
  for (std::size_t i = 10; i < 30; ++i) firms.age_months[i] = 12;
  award_titles(firms, p, Executor(2));
  for (std::size_t i = 0; i < 30; ++i) {  // (1 - 0.8) x 10 = 2 champions: the two best
    EXPECT_EQ(firms.stage[i] == static_cast<std::uint8_t>(Stage::hidden_champion), i == 8 || i == 9)
        << i;
    EXPECT_NE(firms.stage[i], static_cast<std::uint8_t>(Stage::little_giant)) << i;
  }
  // A chain leader is no candidate: the largest firm above 20 bn takes its own title, and the
  // other nine share (1 - 0.8) x 9 = 1.8, rounded to 2.
  firms.revenue_cny[9] = 3e10;
  award_titles(firms, p, Executor(2));
  EXPECT_EQ(firms.stage[9], static_cast<std::uint8_t>(Stage::chain_leader));
  for (std::size_t i = 0; i < 9; ++i) {
    EXPECT_EQ(firms.stage[i] == static_cast<std::uint8_t>(Stage::hidden_champion), i == 7 || i == 8)
        << i;
  }
}

TEST(AwardTitles, TheTotalIsTheShareOfAllCandidatesSplitByLargestRemainder) {
  Scenario scenario;
  scenario.set("firms.titles.hidden_champion_productivity_quantile", 0.9);
  const ModelParameters p = scenario.parameters();
  // Champion candidates: 7 in IC, 5 in AI, 4 in other. Quotas 0.7, 0.5 and 0.4 add up to 1.6:
  // two champions (a quantile bound per sector would name one in each of the three). They go
  // to the largest remainders, IC then AI, each to its sector's most productive candidate.
  auto sector_of = [](std::size_t i) {
    return i < 7 ? Sector::ic : (i < 12 ? Sector::ai : Sector::other);
  };
  FirmArrays firms = FirmsBuilder(16)
                         .revenue(1e9)
                         .sector(sector_of)
                         .productivity([](std::size_t i) { return 1.0 + static_cast<double>(i); })
                         .cash(0.0)
                         .build();
  award_titles(firms, p, Executor(3));
  for (std::size_t i = 0; i < 16; ++i) {
    EXPECT_EQ(firms.stage[i] == static_cast<std::uint8_t>(Stage::hidden_champion),
              i == 6 || i == 11)
        << i;
  }
  // Equal productivities: the lower id wins, whatever the thread count.
  for (std::size_t i = 0; i < 16; ++i) firms.productivity[i] = 2.0;
  for (const int threads : {1, 4}) {
    award_titles(firms, p, Executor(threads));
    for (std::size_t i = 0; i < 16; ++i) {
      EXPECT_EQ(firms.stage[i] == static_cast<std::uint8_t>(Stage::hidden_champion),
                i == 0 || i == 7)
          << threads << " threads, firm " << i;
    }
  }
}
