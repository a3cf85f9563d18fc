// The rules several phases share (model/rules.cpp): stages, congestion and the space factor.
#include <gtest/gtest.h>

#include <cmath>

#include "clustersim/model/rules.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

TEST(Stages, ClassifyBySizeAndAge) {
  const ModelParameters p = Scenario().parameters();
  EXPECT_EQ(classify_stage(1e6, 12, Stage::startup, p), Stage::startup);
  EXPECT_EQ(classify_stage(1e6, 61, Stage::startup, p), Stage::growth);  // too old for a start-up
  EXPECT_EQ(classify_stage(3e7, 12, Stage::startup, p), Stage::growth);
  EXPECT_EQ(classify_stage(5e8, 12, Stage::growth, p), Stage::large);
  EXPECT_EQ(classify_stage(1e6, 200, Stage::large, p), Stage::growth);    // shrank
  EXPECT_EQ(classify_stage(1e6, 12, Stage::unicorn, p), Stage::unicorn);  // titles are kept
}

TEST(Stages, StartUpsNeverComeBack) {
  const ModelParameters p = Scenario().parameters();
  EXPECT_EQ(classify_stage(1e6, 12, Stage::growth, p), Stage::growth);
  EXPECT_EQ(classify_stage(1e6, 12, Stage::large, p), Stage::growth);
}

TEST(Stages, CongestionRisesFromOnsetAndSpaceFactorFalls) {
  const ModelParameters p = Scenario().parameters();  // onset 0.9
  EXPECT_EQ(congestion(0.5, p), 0.0);
  EXPECT_EQ(congestion(0.9, p), 0.0);
  EXPECT_NEAR(congestion(0.95, p), 0.5, 1e-12);
  EXPECT_NEAR(congestion(1.0, p), 1.0, 1e-12);
  EXPECT_NEAR(congestion(1.1, p), 2.0, 1e-12);  // beyond full: a stronger pull back
  EXPECT_EQ(space_factor(0.5, p), 1.0);
  EXPECT_NEAR(space_factor(0.95, p), 0.5, 1e-12);
  EXPECT_EQ(space_factor(1.0, p), 0.0);
  EXPECT_EQ(space_factor(1.3, p), 0.0);
}

TEST(NonBusinessRd, TheZonesShareOfTheCitysNonBusinessRdGrownFromTheBaseYear) {
  ModelParameters p = Scenario().parameters();
  // 198.16 bn x (1 - 0.70) x 0.60 in the base year: the zone's institutes and universities.
  EXPECT_NEAR(zone_non_business_rd_cny(base_year, p), 198.16e9 * 0.30 * 0.60, 1.0);
  EXPECT_NEAR(zone_non_business_rd_cny(base_year + 3, p),
              zone_non_business_rd_cny(base_year, p) * std::pow(1.089, 3), 1.0);
  p.city_business_rd_share = 1.0;  // all R&D by firms: nothing left for institutes
  EXPECT_EQ(zone_non_business_rd_cny(base_year + 5, p), 0.0);
}
