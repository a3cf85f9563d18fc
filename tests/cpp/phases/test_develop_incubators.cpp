// Phase develop_incubators (docs/model.md 3.4.6): the incubation levers' upgrades and new
// incubators, on hand-made parks, cells and incubators.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "clustersim/phases/develop_incubators.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"
#include "helpers.hpp"

using namespace clustersim;
using test_support::CellsBuilder;
using test_support::IncubatorsBuilder;
using test_support::ParksBuilder;
using test_support::same_bits;

namespace {

PolicyState levels(double new_incubators, double upgrades, const Parks& parks) {
  PolicyState policy;
  policy.level[static_cast<std::size_t>(Lever::new_incubators)] = new_incubators;
  policy.level[static_cast<std::size_t>(Lever::incubator_upgrades)] = upgrades;
  policy.in_zone = parks.in_zone.empty() ? nullptr : &parks.in_zone;
  return policy;
}

// Park 0 holds 100 IC firms and one IC incubator, park 1 60 AI firms and none; park 2, whose
// plaque was removed, 1,000 IC firms; park 0 also 5,000 firms of `other` (no incubators there).
Parks three_parks() { return ParksBuilder(3).removed(2).build(); }
CellStats firms_per_cell() {
  return CellsBuilder(3)
      .firms(0, Sector::ic, 100.0)
      .firms(1, Sector::ai, 60.0)
      .firms(2, Sector::ic, 1000.0)
      .firms(0, Sector::other, 5000.0)
      .build();
}

}  // namespace

TEST(DevelopIncubators, NothingChangesWithTheLeversOff) {
  const ModelParameters p = Scenario().parameters();
  const Parks parks = three_parks();
  const IncubatorArrays start =
      IncubatorsBuilder(3)
          .park([](std::size_t k) { return static_cast<std::int16_t>(k); })
          .quality(0.2)
          .build();
  for (const PolicyState& policy : {PolicyState::neutral(), levels(0.0, 0.0, parks)}) {
    IncubatorArrays incubators = start;
    develop_incubators(incubators, parks, firms_per_cell(),
                       StepContext{p, Executor(1), 3, 1, policy});
    EXPECT_TRUE(same_bits(incubators, start));
  }
}

TEST(DevelopIncubators, UpgradesRaiseTheQualityOfEveryIncubatorInTheZone) {
  // q_U = 0.1 a year at level 1, so 0.05 at level 0.5; the incubator of park 2 (removed) gets
  // no lever. No new incubators while that lever is off.
  const ModelParameters p = Scenario().parameters();
  const Parks parks = three_parks();
  IncubatorArrays incubators = IncubatorsBuilder(3)
                                   .park([](std::size_t k) { return static_cast<std::int16_t>(k); })
                                   .quality(0.2)
                                   .build();
  const PolicyState policy = levels(0.0, 0.5, parks);
  develop_incubators(incubators, parks, firms_per_cell(),
                     StepContext{p, Executor(1), 3, 1, policy});
  ASSERT_EQ(incubators.size(), 3u);
  EXPECT_DOUBLE_EQ(incubators.quality[0], 0.2 + 0.5 * p.incubator_upgrade_quality);
  EXPECT_DOUBLE_EQ(incubators.quality[1], 0.2 + 0.5 * p.incubator_upgrade_quality);
  EXPECT_EQ(incubators.quality[2], 0.2);
}

TEST(DevelopIncubators, NewIncubatorsGoWhereFirmsPerIncubatorIsHighest) {
  // One at a time, each to the leading-industry cell of a park in the zone with the most firms
  // per incubator, N_c / (I_c + 1), counting those founded so far (ties: cell order). From
  // (park 0, IC) 100 / 2 = 50 and (park 1, AI) 60 / 1 = 60 the first eight go to:
  //   AI1 (60 vs 50), IC0 (50 vs 30), IC0 (33.3 vs 30), AI1 (30 vs 25), IC0 (25 vs 20),
  //   IC0 (20 vs 20, the tie to the lower cell), AI1 (20 vs 16.7), IC0 (16.7 vs 15).
  // Never to park 2 (removed) nor to `other`, however many firms they hold.
  Scenario s;
  s.set("policy.incubation.new_incubators_per_year", 20.0);  // Poisson mean 20 at level 1
  const ModelParameters p = s.parameters();
  const Parks parks = three_parks();
  IncubatorArrays incubators = IncubatorsBuilder(1).quality(0.0).build();  // (park 0, IC)
  const PolicyState policy = levels(1.0, 0.0, parks);
  develop_incubators(incubators, parks, firms_per_cell(),
                     StepContext{p, Executor(1), 3, 1, policy});
  const std::vector<std::pair<int, Sector>> first_eight = {
      {1, Sector::ai}, {0, Sector::ic}, {0, Sector::ic}, {1, Sector::ai},
      {0, Sector::ic}, {0, Sector::ic}, {1, Sector::ai}, {0, Sector::ic}};
  ASSERT_GE(incubators.size(), 1u + first_eight.size());  // this seed founds 8 or more
  for (std::size_t n = 0; n < first_eight.size(); ++n) {
    EXPECT_EQ(incubators.park[1 + n], first_eight[n].first) << "new incubator " << n;
    EXPECT_EQ(incubators.sector[1 + n], static_cast<std::uint8_t>(first_eight[n].second))
        << "new incubator " << n;
  }
  for (std::size_t k = 1; k < incubators.size(); ++k) {
    EXPECT_NE(incubators.park[k], 2) << k;
    EXPECT_TRUE(is_leading(incubators.sector[k])) << k;
    // The next id, the mean capacity, the policy's quality; no occupants and no status yet.
    EXPECT_EQ(incubators.id[k], static_cast<std::int64_t>(k));
    EXPECT_EQ(incubators.capacity[k], std::lround(p.incubators_mean_capacity));
    EXPECT_EQ(incubators.quality[k], p.new_incubators_quality);
    EXPECT_EQ(incubators.alive[k], 1);
    EXPECT_EQ(incubators.occupants[k], 0);
    EXPECT_EQ(incubators.high_quality[k], 0);
    EXPECT_EQ(incubators.admissions_year[k], 0);
  }
}

TEST(DevelopIncubators, HowManyArePoissonWithMeanRateTimesLevelTimesScale) {
  // n_inc L scale = 2 x 1.5 x 0.4 = 1.2 a January; the mean over 2,000 seeds has sd
  // sqrt(1.2 / 2000) = 0.0245, and the tolerance is 4 sd.
  Scenario s;
  s.set("scale", 0.4);
  const ModelParameters p = s.parameters();
  const Parks parks = three_parks();
  const PolicyState policy = levels(1.5, 0.0, parks);
  const int seeds = 2000;
  double founded = 0;
  for (int seed = 0; seed < seeds; ++seed) {
    IncubatorArrays incubators = IncubatorsBuilder(1).build();
    develop_incubators(incubators, parks, firms_per_cell(),
                       StepContext{p, Executor(1), static_cast<std::uint64_t>(seed), 13, policy});
    founded += static_cast<double>(incubators.size() - 1) / seeds;
  }
  const double mean = p.new_incubators_per_year * 1.5 * 0.4;
  EXPECT_NEAR(founded, mean, 4 * std::sqrt(mean / seeds));
}
