// Phase evaluate_parks (docs/model.md 3.4.3): the ranking of parks, notices, strikes and the
// removal of a plaque, on hand-made parks.
#include <gtest/gtest.h>

#include <vector>

#include "clustersim/phases/evaluate_parks.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::ParksBuilder;

namespace {

// Five parks naming all three leading industries, each in the zone with a normal standing.
Parks five_parks() {
  return ParksBuilder(5).bare().area_km2(10.0).leading_mask(0b111).standing(3).build();
}

ModelParameters ranking_parameters() {
  ModelParameters p = Scenario().parameters();
  p.evaluation_top_parks = 2;
  p.evaluation_bottom_parks = 1;
  p.evaluation_fail_score = -1.0;
  return p;
}

Standing standing(const Parks& parks, std::size_t k) {
  return static_cast<Standing>(parks.standing[k]);
}

}  // namespace

TEST(Evaluation, OneNoticeThenTheSecondStrikeRemovesThePlaque) {
  // docs/model.md, "Evaluation and elimination": the last park fails (score below -1) twice in a
  // row and is removed; the top two get priority.
  Parks parks = five_parks();
  const ModelParameters p = ranking_parameters();
  rank_parks({2.0, 1.0, 0.0, -0.5, -2.0}, p, parks);
  EXPECT_EQ(standing(parks, 0), Standing::priority);
  EXPECT_EQ(standing(parks, 1), Standing::priority);
  EXPECT_EQ(standing(parks, 2), Standing::normal);
  EXPECT_EQ(standing(parks, 3), Standing::normal);
  EXPECT_EQ(standing(parks, 4), Standing::notified);
  EXPECT_EQ(parks.strikes[4], 1);
  EXPECT_TRUE(parks.is_in_zone(4));

  rank_parks({2.0, 1.0, 0.0, -0.5, -1.5}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::removed);
  EXPECT_FALSE(parks.is_in_zone(4));
  EXPECT_EQ(parks.score[4], -1.5);

  // A removed park is no longer ranked: the next last one only gets a notice.
  rank_parks({2.0, 1.0, 0.0, -3.0, 9.0}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::removed);
  EXPECT_EQ(parks.score[4], -1.5);  // not re-scored
  EXPECT_EQ(standing(parks, 3), Standing::notified);
}

TEST(Evaluation, ANoticeLapsesWhenTheParkRecovers) {
  Parks parks = five_parks();
  const ModelParameters p = ranking_parameters();
  rank_parks({2.0, 1.0, 0.0, -0.5, -2.0}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::notified);
  rank_parks({2.0, 1.0, 0.0, -2.0, -0.5}, p, parks);  // park 3 is last now
  EXPECT_EQ(standing(parks, 4), Standing::normal);
  EXPECT_EQ(parks.strikes[4], 0);
  EXPECT_EQ(standing(parks, 3), Standing::notified);
  rank_parks({2.0, 1.0, 0.0, -0.5, -2.0}, p, parks);  // park 4 last again: a new first strike
  EXPECT_EQ(standing(parks, 4), Standing::notified);
  EXPECT_TRUE(parks.is_in_zone(4));
}

TEST(Evaluation, TheLastParkAboveTheFailingScoreGetsNoStrike) {
  Parks parks = five_parks();
  const ModelParameters p = ranking_parameters();
  for (int year = 0; year < 3; ++year) rank_parks({2.0, 1.0, 0.5, 0.0, -0.9}, p, parks);
  EXPECT_EQ(standing(parks, 4), Standing::normal);
  EXPECT_EQ(parks.strikes[4], 0);
}

TEST(Evaluation, TiesAreBrokenByParkOrder) {
  Parks parks = five_parks();
  ModelParameters p = ranking_parameters();
  p.evaluation_top_parks = 1;
  rank_parks({1.0, 1.0, 1.0, 1.0, 1.0}, p, parks);
  EXPECT_EQ(standing(parks, 0), Standing::priority);
  EXPECT_EQ(standing(parks, 1), Standing::normal);
}

TEST(Evaluation, NotifiedAndBelowMeanParksMakeAnEffortUntilTheNextRanking) {
  // docs/model.md 3.4.3, park administrations: the notified park makes policy.evaluation.
  // notice_effort, a park below the mean (score < 0) low_rank_effort, the others none; a
  // removed park none.
  Parks parks = five_parks();
  ModelParameters p = ranking_parameters();
  p.evaluation_notice_effort = 0.7;
  p.evaluation_low_rank_effort = 0.2;
  rank_parks({2.0, 1.0, 0.0, -0.5, -2.0}, p, parks);
  EXPECT_EQ(parks.effort, (std::vector<double>{0.0, 0.0, 0.0, 0.2, 0.7}));
  rank_parks({-0.5, 1.0, 0.5, 2.0, -1.5}, p, parks);  // park 4 removed, park 0 below the mean
  EXPECT_EQ(parks.effort, (std::vector<double>{0.2, 0.0, 0.0, 0.0, 0.0}));
}
