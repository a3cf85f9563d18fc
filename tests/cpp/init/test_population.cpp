#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "clustersim/core/random.hpp"
#include "clustersim/errors.hpp"
#include "clustersim/init/population.hpp"
#include "clustersim/model/rules.hpp"
#include "clustersim/phases/phases.hpp"
#include "helpers.hpp"

using namespace clustersim;

namespace {
Population make(double scale, std::uint64_t seed = 3, int threads = 2) {
  const ModelParameters params = test_support::small_scenario(scale).parameters();
  return generate_population(default_base_data(), params, seed, Executor(threads));
}
}  // namespace

TEST(Population, CellRevenueMatchesParkAndSectorTotals) {
  const ModelParameters p = Scenario().parameters();
  const Population population = make(0.01);
  const std::vector<double> cells =
      base_cell_revenue(population.parks, default_base_data().cell_figures, p);
  const std::size_t n_parks = population.parks.size();
  double zone = 0;
  for (std::size_t k = 0; k < n_parks; ++k) {
    double park = 0;
    for (int s = 0; s < sector_count; ++s) park += cells[cell_index(k, s)];
    EXPECT_NEAR(park, population.parks.base_revenue_cny[k], 1e-9 * park) << k;
    zone += park;
  }
  double parks_total = 0;
  for (const ParkRecord& park : default_parks()) parks_total += park.base_revenue_cny;
  EXPECT_NEAR(zone, parks_total, 1e-9 * zone);
  const double city[3] = {p.city_ic_cny, p.city_biomedicine_cny, p.city_ai_cny};
  for (int s = 0; s < 3; ++s) {
    double sector = 0;
    for (std::size_t k = 0; k < n_parks; ++k) sector += cells[cell_index(k, s)];
    EXPECT_NEAR(sector, zone_share(p, static_cast<std::size_t>(s)) * city[s], 1e-6 * sector) << s;
  }
  // Published park and cell figures are kept as they are.
  EXPECT_DOUBLE_EQ(population.parks.base_revenue_cny[0], 1.178e12);
  EXPECT_DOUBLE_EQ(cells[cell_index(0, static_cast<int>(Sector::ic))], 2.011e11);
}

TEST(Population, AgentsCarryTheirCellsRevenueAtScale) {
  const double scale = 0.01;
  const ModelParameters p = test_support::small_scenario(scale).parameters();
  const Population population = make(scale);
  const FirmArrays& firms = population.firms;
  const std::vector<double> cells =
      base_cell_revenue(population.parks, default_base_data().cell_figures, p);
  std::vector<double> agent_sum(cells.size(), 0.0);
  for (std::size_t i = 0; i < firms.size(); ++i) {
    agent_sum[cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i])] +=
        firms.revenue_cny[i];
  }
  // Agents start at the January run rate whose months add up to the cell's annual revenue.
  const double january = january_run_rate_factor(p.base_year_growth);
  EXPECT_LT(january, 1.0);
  for (std::size_t c = 0; c < cells.size(); ++c) {
    EXPECT_NEAR(agent_sum[c] / scale, cells[c] * january, 1e-9 * cells[c]) << c;
  }
  // Agent count: the scaled firm count, plus at most one per otherwise empty cell.
  EXPECT_GE(firms.size(), 700u);
  EXPECT_LE(firms.size(), 700u + cells.size());
}

TEST(Population, FirmsAreWellFormed) {
  const Population population = make(0.05);
  const FirmArrays& firms = population.firms;
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    EXPECT_TRUE(ids.insert(firms.id[i]).second);
    EXPECT_EQ(firms.alive[i], 1);
    EXPECT_GT(firms.revenue_cny[i], 0);
    EXPECT_GE(firms.employees[i], 1);
    EXPECT_GE(firms.age_months[i], 0);
    EXPECT_GE(firms.cash_cny[i], 0);
    EXPECT_LT(static_cast<std::size_t>(firms.park[i]), population.parks.size());
  }
  EXPECT_EQ(population.next_firm_id, static_cast<std::int64_t>(firms.size()));
}

TEST(Population, FloorSpaceStartsAtTheBaseOccupancy) {
  const ModelParameters p = test_support::small_scenario(0.05).parameters();
  const Population population = make(0.05);
  CellStats cells;
  measure_cells(population.firms, population.parks, p, Executor(1), cells);
  for (std::size_t k = 0; k < population.parks.size(); ++k) {
    EXPECT_NEAR(cells.occupancy[k], p.initial_occupancy, 1e-12) << k;
  }
}

TEST(Population, UpperTailIsParetoWithTheScenarioExponent) {
  // Hill estimator of the tail exponent on the top 2 % of 70,000 firms. Sizes are Pareto within
  // each cell and rescaled per cell, so the pooled tail is close to, not exactly, alpha; with
  // k = 1,400 order statistics the estimator's own standard error is alpha / sqrt(k) = 0.03.
  const Population population = make(1.0, 5, 2);
  std::vector<double> revenue(population.firms.revenue_cny.begin(),
                              population.firms.revenue_cny.end());
  std::sort(revenue.begin(), revenue.end(), std::greater<>());
  const std::size_t k = revenue.size() / 50;
  double sum = 0;
  for (std::size_t i = 0; i < k; ++i) sum += std::log(revenue[i] / revenue[k]);
  const double alpha_hat = static_cast<double>(k) / sum;
  EXPECT_NEAR(alpha_hat, Scenario().parameters().pareto_alpha, 0.25);
}

TEST(Population, SameSeedSamePopulationWhateverTheThreads) {
  const Population serial = make(0.05, 9, 0);
  for (int threads : {1, 2, 4}) {
    EXPECT_TRUE(test_support::same_bits(serial.firms, make(0.05, 9, threads).firms)) << threads;
  }
  EXPECT_FALSE(test_support::same_bits(serial.firms, make(0.05, 10, 2).firms));
}

TEST(Population, PublishedCellsMustFitTheTotals) {
  // The Core Park's published IC revenue (201.1 bn) cannot fit a zone whose IC is 0.5 x 300 bn.
  Scenario scenario;
  scenario.set("population.zone_ic_share", 0.5);
  try {
    generate_population(default_base_data(), scenario.parameters(), 1, Executor(1));
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.key(), "population.zone_ic_share");
  }
}

TEST(Population, SeedsTheListedUnicornsAndPotentialUnicorns) {
  const double scale = 0.5;
  const ModelParameters p = test_support::small_scenario(scale).parameters();
  const Population population = make(scale);
  const FirmArrays& firms = population.firms;
  const double threshold = p.vc_unicorn_valuation_usd * p.vc_cny_per_usd;
  const double floor = p.vc_potential_unicorn_valuation_usd * p.vc_cny_per_usd;
  const double max_age = p.vc_unicorn_max_age_years * 12.0;
  std::size_t unicorns = 0, potential = 0;
  double smallest_seeded = 1e300, largest_unseeded_young = 0.0;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    const bool young = firms.age_months[i] <= max_age;
    if (firms.rounds[i] == 0) {
      EXPECT_EQ(firms.valuation_cny[i], 0.0) << i;
      if (young) largest_unseeded_young = std::max(largest_unseeded_young, firms.revenue_cny[i]);
      continue;
    }
    EXPECT_TRUE(young) << i;
    EXPECT_EQ(firms.post_money_cny[i], firms.valuation_cny[i]) << i;
    EXPECT_EQ(firms.revenue_at_round_cny[i], firms.revenue_cny[i]) << i;
    EXPECT_GT(firms.vc_raised_cny[i], 0.0) << i;
    smallest_seeded = std::min(smallest_seeded, firms.revenue_cny[i]);
    if (firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn)) {
      ++unicorns;
      EXPECT_GE(firms.valuation_cny[i], threshold) << i;
    } else {
      ++potential;
      EXPECT_GE(firms.valuation_cny[i], floor) << i;
      EXPECT_LT(firms.valuation_cny[i], threshold) << i;
    }
  }
  // The counts are the full-scale figures times the scale, rounded.
  EXPECT_EQ(unicorns, static_cast<std::size_t>(std::llround(p.initial_unicorns * scale)));
  EXPECT_EQ(potential,
            static_cast<std::size_t>(std::llround(p.initial_potential_unicorns * scale)));
  // The seeded firms are the largest young ones.
  EXPECT_GE(smallest_seeded, largest_unseeded_young);
}

TEST(Population, StratumSizesAreTheSizesAtFullScale) {
  EXPECT_EQ(stratum_sizes({3.0, 1.0, 2.0}, 3, 1.0), (std::vector<double>{3.0, 2.0, 1.0}));
  EXPECT_TRUE(stratum_sizes({3.0, 1.0}, 0, 0.5).empty());
}

TEST(Population, StratumSizesSplitARankSharedByTwoStrata) {
  // Five firms, two agents: strata of 2.5 ranks; the third firm (3) is split half and half.
  const std::vector<double> sizes = stratum_sizes({1.0, 5.0, 3.0, 2.0, 4.0}, 2, 0.4);
  ASSERT_EQ(sizes.size(), 2u);
  EXPECT_DOUBLE_EQ(sizes[0], 0.4 * (5.0 + 4.0 + 1.5));
  EXPECT_DOUBLE_EQ(sizes[1], 0.4 * (1.5 + 2.0 + 1.0));
}

TEST(Population, FullScaleFirmsKeepTheirOwnDraws) {
  // The plain rule that the strata reduce to at full scale: each firm's own Pareto draw, times
  // its cell's January run rate over the sum of the cell's draws. Bit for bit.
  const ModelParameters p = Scenario().parameters();
  const Population population = make(1.0, 4, 2);
  const FirmArrays& firms = population.firms;
  const std::vector<double> cells =
      base_cell_revenue(population.parks, default_base_data().cell_figures, p);
  const double january = january_run_rate_factor(p.base_year_growth);
  std::vector<double> draw(firms.size()), cell_sum(cells.size(), 0.0);
  for (std::size_t i = 0; i < firms.size(); ++i) {
    Stream stream(4, i, 0, Purpose::initial_sizes);
    draw[i] = std::pow(1.0 - stream.uniform01(), -1.0 / p.pareto_alpha);
    cell_sum[cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i])] += draw[i];
  }
  std::size_t differ = 0;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    const std::size_t c = cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
    differ += firms.revenue_cny[i] != draw[i] * (cells[c] * january / cell_sum[c]);
  }
  EXPECT_EQ(differ, 0u);
}

TEST(Population, ASampleHoldsTheFullZonesMidSizedFirms) {
  // Firms above 0.1 bn CNY and within the hidden champions' bounds (0.4-35 bn), counted at 1/10
  // and scaled up, against the full zone of the same seeds (1-4, pooled). A sample of plain
  // draws rescaled to each cell's revenue held 29 % and 20 % more of them (docs/model.md 2.6).
  // The strata hold the full zone's sizes, averaged over ten neighbouring ranks: +0.7 % above
  // 0.1 bn, and +5.5 % within the bounds, since a right-skewed stratum's mean exceeds most of
  // its members. The bands admit those and reject the plain rule's bias.
  auto count = [](const Population& population, double low, double high) {
    double n = 0;
    for (double revenue : population.firms.revenue_cny) n += revenue >= low && revenue <= high;
    return n;
  };
  double full_bulk = 0, tenth_bulk = 0, full_bounds = 0, tenth_bounds = 0;
  for (std::uint64_t seed : {1, 2, 3, 4}) {
    const Population full = make(1.0, seed, 2), tenth = make(0.1, seed, 2);
    full_bulk += count(full, 1e8, 1e300);
    tenth_bulk += count(tenth, 1e8, 1e300) / 0.1;
    full_bounds += count(full, 4e8, 3.5e10);
    tenth_bounds += count(tenth, 4e8, 3.5e10) / 0.1;
  }
  EXPECT_GT(tenth_bulk / full_bulk, 0.98);
  EXPECT_LT(tenth_bulk / full_bulk, 1.03);
  EXPECT_GT(tenth_bounds / full_bounds, 0.97);
  EXPECT_LT(tenth_bounds / full_bounds, 1.10);
}
