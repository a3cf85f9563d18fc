// Phases evaluate_incubators and start_incubator_year (docs/model.md 3.3.16): the status of an
// incubator over consecutive evaluations.
#include <gtest/gtest.h>

#include "clustersim/phases/evaluate_incubators.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::IncubatorsBuilder;

TEST(Incubators, StatusIsGainedAndLostAfterConsecutiveEvaluations) {
  const ModelParameters p = Scenario().parameters();  // score 0.25, 2 years
  IncubatorArrays incubators = IncubatorsBuilder(1).quality(0.0).capacity(20).build();
  auto year_with = [&](int graduations, int failures) {
    incubators.graduations_year[0] = graduations;
    incubators.failures_year[0] = failures;
    evaluate_incubators(incubators, p, 2025);
    return incubators.high_quality[0];
  };
  EXPECT_EQ(year_with(10, 0), 0);                // score 0.5: one good year is not enough
  EXPECT_EQ(year_with(8, 2), 1);                 // score 0.3: two in a row
  EXPECT_EQ(year_with(2, 0), 1);                 // score 0.1: one bad year keeps the status
  EXPECT_EQ(year_with(1, 3), 0);                 // a second one removes it
  EXPECT_EQ(incubators.graduations_year[0], 1);  // kept for December's snapshot...
  start_incubator_year(incubators);
  EXPECT_EQ(incubators.graduations_year[0], 0);  // ...and start again in January
  EXPECT_DOUBLE_EQ(incubators.last_score[0], -0.1);
}

TEST(Incubators, StatusIsAwardedFromTheProgrammesStartOnly) {
  const ModelParameters p = Scenario().parameters();  // from 2023, 2 years
  IncubatorArrays incubators = IncubatorsBuilder(1).quality(0.0).capacity(20).build();
  incubators.graduations_year[0] = 10;  // score 0.5 every year
  evaluate_incubators(incubators, p, 2021);
  evaluate_incubators(incubators, p, 2022);
  EXPECT_EQ(incubators.years_meeting[0], 2);  // two good years before the programme...
  EXPECT_EQ(incubators.high_quality[0], 0);   // ...award nothing
  evaluate_incubators(incubators, p, 2023);
  EXPECT_EQ(incubators.high_quality[0], 1);  // its first evaluation counts them
}
