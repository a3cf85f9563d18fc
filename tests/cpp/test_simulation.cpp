// Whole runs: determinism across thread counts (the serial reference against TBB), time
// keeping, and conservation between agents and the recorded series.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <numeric>

#include "clustersim/errors.hpp"
#include "helpers.hpp"

using namespace clustersim;

TEST(Simulation, SameSeedGivesIdenticalBitsForAnyThreadCount) {
  const Scenario scenario = test_support::small_scenario(0.05, 2024);
  Simulation reference(scenario, 42, 0);  // serial reference, no TBB
  reference.run_until(2024);
  for (int threads : {1, 2, 4}) {
    Simulation parallel(scenario, 42, threads);
    parallel.run_until(2024);
    EXPECT_TRUE(test_support::same_bits(reference.firms(), parallel.firms())) << threads;
    EXPECT_TRUE(test_support::same_bits(reference.talent(), parallel.talent())) << threads;
    EXPECT_TRUE(test_support::same_bits(reference.incubators(), parallel.incubators())) << threads;
    EXPECT_TRUE(test_support::same_bits(reference.funds(), parallel.funds())) << threads;
    EXPECT_TRUE(test_support::same_bits(reference.deals(), parallel.deals())) << threads;
    EXPECT_GT(parallel.deals().size(), 0u);
    EXPECT_EQ(reference.next_talent_id(), parallel.next_talent_id());
    // Bits, not values: NaN (no score yet) is never equal to itself.
    auto same = [](const std::vector<double>& a, const std::vector<double>& b) {
      return a.size() == b.size() &&
             (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
    };
    for (const SeriesInfo& info : SeriesBook::catalogue()) {
      EXPECT_TRUE(same(reference.series().values(info.name), parallel.series().values(info.name)))
          << info.name << ", threads " << threads;
    }
    for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
      EXPECT_TRUE(
          same(reference.series().city_values(info.name), parallel.series().city_values(info.name)))
          << info.name << ", threads " << threads;
    }
    EXPECT_TRUE(same(reference.targets().values(), parallel.targets().values()));
    EXPECT_EQ(reference.next_firm_id(), parallel.next_firm_id());
  }
}

// At 1/100 or 1/20 every firm fits in one block of 8,192, so the firm phases' parallel paths
// (block-wise decisions booked in order, per-block partial sums) run inline. At a quarter of
// the zone the firms span three blocks; one year, with its December (titles, compaction).
TEST(Simulation, FirmPhasesOverSeveralBlocksGiveIdenticalBitsForAnyThreadCount) {
  const Scenario scenario = test_support::small_scenario(0.25, 2022);
  Simulation reference(scenario, 42, 0);
  ASSERT_GT(reference.firms().size(), 2 * Executor::block_size);
  reference.run_until(2022);
  Simulation parallel(scenario, 42, 2);
  parallel.run_until(2022);
  EXPECT_TRUE(test_support::same_bits(reference.firms(), parallel.firms()));
  EXPECT_TRUE(test_support::same_bits(reference.funds(), parallel.funds()));
  EXPECT_TRUE(test_support::same_bits(reference.deals(), parallel.deals()));
  EXPECT_TRUE(test_support::same_bits(reference.talent(), parallel.talent()));
  // The run exercised vc_exits' booking: stakes settled by exits and written off.
  const auto& status = parallel.deals().status;
  EXPECT_GT(std::count(status.begin(), status.end(), static_cast<std::uint8_t>(DealStatus::exited)),
            0);
  EXPECT_GT(
      std::count(status.begin(), status.end(), static_cast<std::uint8_t>(DealStatus::written_off)),
      0);
}

TEST(Simulation, ReservingRoomForAgentsChangesNoResult) {
  const Scenario scenario = test_support::small_scenario(0.05, 2023);
  Simulation plain(scenario, 42, 2);
  Simulation reserved(scenario, 42, 2);
  const std::size_t room = 4 * reserved.talent().size();
  reserved.reserve_agents(room, room, 1000, 1000, room);
  EXPECT_GE(reserved.talent().id.capacity(), room);
  EXPECT_GE(reserved.firms().revenue_cny.capacity(), room);
  EXPECT_EQ(reserved.talent().size(), plain.talent().size());  // sizes are unchanged
  plain.run_until(2023);
  reserved.run_until(2023);
  EXPECT_TRUE(test_support::same_bits(plain.firms(), reserved.firms()));
  EXPECT_TRUE(test_support::same_bits(plain.talent(), reserved.talent()));
  EXPECT_TRUE(test_support::same_bits(plain.deals(), reserved.deals()));
}

TEST(Simulation, DifferentSeedsGiveDifferentRuns) {
  const Scenario scenario = test_support::small_scenario(0.02, 2022);
  Simulation a(scenario, 1, 2), b(scenario, 2, 2);
  a.run_until(2022);
  b.run_until(2022);
  EXPECT_FALSE(test_support::same_bits(a.firms(), b.firms()));
}

TEST(Simulation, KeepsTimeMonthByMonthToTheHorizon) {
  Simulation sim(test_support::small_scenario(0.02, 2023), 1, 1);
  EXPECT_EQ(sim.year(), 2022);
  EXPECT_EQ(sim.month(), 0);
  EXPECT_EQ(sim.total_steps(), 24u);
  sim.step();
  EXPECT_EQ(sim.year(), 2022);
  EXPECT_EQ(sim.month(), 1);
  sim.run_until(2022);
  EXPECT_EQ(sim.steps_done(), 12u);
  EXPECT_EQ(sim.month(), 12);
  sim.run_until(2100);  // stops at the horizon
  EXPECT_TRUE(sim.finished());
  EXPECT_EQ(sim.year(), 2023);
  EXPECT_EQ(sim.series().months(), 24u);
  EXPECT_THROW(sim.step(), Error);
}

TEST(Simulation, SeriesEqualTheSumsOverAgents) {
  // Checked mid-year (before the yearly compaction) and after it, in every park x sector cell.
  const double scale = 0.05;
  Simulation sim(test_support::small_scenario(scale, 2023), 5, 2);
  for (int months : {7, 5, 12}) {
    for (int m = 0; m < months; ++m) sim.step();
    const std::size_t n_cells = sim.parks().size() * sector_count;
    std::vector<double> revenue(n_cells, 0.0), employees(n_cells, 0.0), firms(n_cells, 0.0);
    const FirmArrays& f = sim.firms();
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (!f.alive[i]) continue;
      const std::size_t c = cell_index(static_cast<std::size_t>(f.park[i]), f.sector[i]);
      revenue[c] += f.revenue_cny[i];
      employees[c] += f.employees[i];
      firms[c] += 1;
    }
    const std::size_t last = (sim.series().months() - 1) * n_cells;
    for (std::size_t c = 0; c < n_cells; ++c) {
      // Same additions in another grouping (blocks): equal to rounding, 1e-12 relative.
      EXPECT_NEAR(sim.series().values("revenue_cny")[last + c], revenue[c] / scale,
                  1e-12 * revenue[c] / scale);
      EXPECT_EQ(sim.series().values("employees")[last + c], employees[c] / scale);
      EXPECT_EQ(sim.series().values("firms")[last + c], firms[c] / scale);
    }
  }
}

TEST(Simulation, IdsAreUniqueAndEveryParkChangeIsARecordedRelocation) {
  Scenario scenario = test_support::small_scenario(0.05, 2024);
  scenario.set("firms.relocation.rate", 2.0);  // plenty of moves to check
  Simulation sim(scenario, 8, 2);
  std::map<std::int64_t, std::int16_t> park_of;
  double recorded = 0, observed = 0;
  for (int year = 2022; year <= 2024; ++year) {
    sim.run_until(year);
    const FirmArrays& f = sim.firms();
    std::map<std::int64_t, int> seen;
    for (std::size_t i = 0; i < f.size(); ++i) {
      EXPECT_EQ(++seen[f.id[i]], 1) << "firm " << f.id[i] << " appears twice";
      auto [it, inserted] = park_of.emplace(f.id[i], f.park[i]);
      if (!inserted && it->second != f.park[i]) {
        observed += 1;  // at least one move since last December
        it->second = f.park[i];
      }
      EXPECT_EQ(f.alive[i], 1);  // December's compaction dropped the dead
    }
  }
  for (double v : sim.series().values("firm_moves")) recorded += v * 0.05;
  EXPECT_GT(observed, 0);
  EXPECT_GE(recorded, observed);  // a firm may move twice in a year, or move and exit

  Scenario fixed = test_support::small_scenario(0.05, 2023);
  fixed.set("firms.relocation.rate", 0.0);
  Simulation still(fixed, 8, 2);
  std::map<std::int64_t, std::int16_t> first;
  for (std::size_t i = 0; i < still.firms().size(); ++i)
    first[still.firms().id[i]] = still.firms().park[i];
  still.run_until(2023);
  for (std::size_t i = 0; i < still.firms().size(); ++i) {
    auto it = first.find(still.firms().id[i]);
    if (it != first.end()) {
      EXPECT_EQ(it->second, still.firms().park[i]);
    }
  }
}

TEST(Simulation, EntriesAndExitsBalanceTheFirmCount) {
  const double scale = 0.05;
  // Ten times the relocation rate, so that some firms leave the zone too (none may in a year at
  // the default rate at this scale; at five times, 0-4 agents of 3,500 did over seeds 11-15) and
  // the balance covers that flow.
  Scenario scenario = test_support::small_scenario(scale, 2023);
  scenario.set("firms.relocation.rate", 0.5);
  Simulation sim(scenario, 13, 2);
  double before = 0;
  for (std::size_t i = 0; i < sim.firms().size(); ++i) before += sim.firms().alive[i];
  sim.run_until(2023);
  double after = 0, entries = 0, exits = 0;
  for (std::size_t i = 0; i < sim.firms().size(); ++i) after += sim.firms().alive[i];
  for (double v : sim.series().values("entries")) entries += v;
  for (double v : sim.series().values("exits")) exits += v;
  double left = 0;  // relocated to the rest of the city
  for (double v : sim.series().city_values("firms_left_zone")) left += v;
  EXPECT_GT(entries, 0);
  EXPECT_GT(exits, 0);
  EXPECT_GT(left, 0);
  EXPECT_NEAR((after - before) / scale, entries - exits - left, 1e-6);
}

TEST(Simulation, ZoneRevenueGrowsAtAPlausibleRateInTheBaseline) {
  // A behavioural guard, not calibration: the baseline's zone revenue after three years is
  // within 0.8x-1.6x of the base year (historical 2016-22 growth ~12 %/year would give 1.4x).
  Simulation sim(test_support::small_scenario(0.05, 2024), 21, 2);
  sim.run_until(2024);
  const std::size_t n_cells = sim.parks().size() * sector_count;
  const auto& revenue = sim.series().values("revenue_cny");
  double total = 0;
  for (std::size_t c = 0; c < n_cells; ++c)
    total += revenue[(sim.series().months() - 1) * n_cells + c];
  const double base = std::accumulate(sim.parks().base_revenue_cny.begin(),
                                      sim.parks().base_revenue_cny.end(), 0.0);
  EXPECT_GT(total, 0.8 * base);
  EXPECT_LT(total, 1.6 * base);
}

TEST(Simulation, LeadingFirmsHeadCountIsTheirTalent) {
  // Checked mid-year (before compaction) and at a year's end (after it: indices re-mapped).
  Simulation sim(test_support::small_scenario(0.05, 2023), 17, 2);
  for (int months : {5, 7, 9}) {
    for (int m = 0; m < months; ++m) sim.step();
    const FirmArrays& f = sim.firms();
    const TalentArrays& t = sim.talent();
    std::map<std::int64_t, std::int32_t> staff;
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (!t.alive[k] || t.employer_index[k] < 0) continue;
      const auto e = static_cast<std::size_t>(t.employer_index[k]);
      ASSERT_LT(e, f.size());
      EXPECT_EQ(f.id[e], t.employer[k]);  // index and id agree
      EXPECT_EQ(f.park[e], t.park[k]);    // talent work where their employer is
      EXPECT_EQ(f.sector[e], t.sector[k]);
      EXPECT_EQ(f.alive[e], 1);
      ++staff[t.employer[k]];
    }
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f.alive[i] && is_leading(f.sector[i])) {
        EXPECT_EQ(f.employees[i], staff[f.id[i]]);
      }
    }
  }
}

TEST(Simulation, TalentSeriesEqualTheSumsOverAgents) {
  const double scale = 0.05;
  Simulation sim(test_support::small_scenario(scale, 2023), 19, 2);
  sim.run_until(2022);
  for (int m = 0; m < 4; ++m) sim.step();
  const std::size_t n_cells = sim.parks().size() * sector_count;
  std::vector<double> talent(n_cells, 0.0), seeking(n_cells, 0.0);
  const TalentArrays& t = sim.talent();
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (!t.alive[k]) continue;
    const std::size_t c = cell_index(static_cast<std::size_t>(t.park[k]), t.sector[k]);
    talent[c] += 1;
    if (t.employer_index[k] < 0) seeking[c] += 1;
  }
  const std::size_t last = (sim.series().months() - 1) * n_cells;
  for (std::size_t c = 0; c < n_cells; ++c) {
    EXPECT_EQ(sim.series().values("talent")[last + c], talent[c] / scale);
    EXPECT_EQ(sim.series().values("seeking_talent")[last + c], seeking[c] / scale);
  }
}

TEST(Simulation, TalentStockFollowsArrivalsAndDepartures) {
  const double scale = 0.05;
  Simulation sim(test_support::small_scenario(scale, 2023), 23, 2);
  auto alive = [&] {
    double n = 0;
    for (std::size_t k = 0; k < sim.talent().size(); ++k) n += sim.talent().alive[k];
    return n;
  };
  const double before = alive();
  sim.run_until(2023);
  double arrivals = 0, departures = 0;
  for (double v : sim.series().values("talent_arrivals")) arrivals += v;
  for (double v : sim.series().values("talent_departures")) departures += v;
  for (double v : sim.series().values("talent_left_zone")) departures += v;
  EXPECT_GT(arrivals, 0);
  EXPECT_GT(departures, 0);
  EXPECT_NEAR((alive() - before) / scale, arrivals - departures, 1e-6);
}

TEST(Simulation, IncubatorOccupantsAreTheFirmsThatNameThem) {
  Simulation sim(test_support::small_scenario(0.05, 2024), 29, 2);
  for (int months : {6, 6, 13}) {  // mid-year, December (after compaction), and past it
    for (int m = 0; m < months; ++m) sim.step();
    std::vector<std::int32_t> occupants(sim.incubators().size(), 0);
    for (std::size_t i = 0; i < sim.firms().size(); ++i) {
      if (sim.firms().incubator[i] < 0) continue;
      EXPECT_EQ(sim.firms().alive[i], 1);
      ++occupants[static_cast<std::size_t>(sim.firms().incubator[i])];
    }
    for (std::size_t k = 0; k < occupants.size(); ++k) {
      EXPECT_EQ(occupants[k], sim.incubators().occupants[k]);
      EXPECT_LE(occupants[k], sim.incubators().capacity[k]);
    }
  }
}
