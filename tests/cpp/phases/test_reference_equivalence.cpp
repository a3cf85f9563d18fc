// The optimised phases against their plain reference versions (tests/cpp/reference/): on
// warmed states of a run with every lever on, and on the same states randomised so that ties,
// dead employers, over-staffed firms, exhausted funds and far searches are common, both
// versions must leave every column and every flow with the same bits, on any thread count.
#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "helpers.hpp"
#include "reference/reference.hpp"
#include "world.hpp"

using namespace clustersim;
using test_support::same_bits;
using test_support::World;

namespace {

// Every lever at intensity 1 from 2023 (the levers reach every rule the phases read).
Scenario all_levers_on(double scale) {
  Scenario scenario = test_support::small_scenario(scale, 2025);
  scenario.set("output.firm_snapshots", false);
  for (const LeverInfo& lever : lever_catalogue()) {
    scenario.set("policy." + std::string(lever.key) + ".intensity", 1.0);
    scenario.set("policy." + std::string(lever.key) + ".start_year", std::int64_t{2023});
  }
  return scenario;
}

// States after 1 month, 6 months (dead firms not yet compacted), 13 (levers on, a year of
// momentum, funds with deals) and 30, for two seeds: built once.
const std::vector<std::unique_ptr<const World>>& warmed_worlds() {
  static const auto worlds = [] {
    std::vector<std::unique_ptr<const World>> built;
    for (const std::uint64_t seed : {3u, 7u}) {
      Simulation sim(all_levers_on(0.02), seed, 2);
      for (const std::uint32_t steps : {1u, 6u, 13u, 30u}) {
        while (sim.steps_done() < steps) sim.step();
        built.push_back(std::make_unique<const World>(sim));
      }
    }
    return built;
  }();
  return worlds;
}

// Coarse values make ties (same skill, same productivity, same signal) common, so the
// tie-breaks by id are exercised.
double coarse(double value, double step) { return std::round(value / step) * step; }

void shake_firms(World& w, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<std::int32_t> gap(-4, 6), staff(0, 12);
  for (std::size_t f = 0; f < w.firms.size(); ++f) {
    if (u(rng) < 0.05) w.firms.alive[f] = 0;
    w.firms.productivity[f] = std::max(0.125, coarse(w.firms.productivity[f], 0.125));
    w.firms.team_skill[f] = coarse(w.firms.team_skill[f], 0.25);
    if (is_leading(w.firms.sector[f])) {
      w.firms.staffing_gap[f] = gap(rng);
      w.firms.employees[f] = staff(rng);
    }
    if (u(rng) < 0.3) w.firms.last_round_step[f] = 0;  // may seek again
    if (u(rng) < 0.2) w.firms.age_months[f] = static_cast<std::int32_t>(u(rng) * 130);
  }
}

void shake_talent(World& w, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::uniform_int_distribution<int> park(0, static_cast<int>(w.parks.size()) - 1);
  for (std::size_t t = 0; t < w.talent.size(); ++t) {
    w.talent.skill[t] = coarse(w.talent.skill[t], 0.25);
    w.talent.intent[t] =
        static_cast<std::uint8_t>(u(rng) < 0.6 ? TalentIntent::search : TalentIntent::stay);
    w.talent.target_park[t] =
        static_cast<std::int16_t>(u(rng) < 0.3 ? park(rng) : w.talent.park[t]);
    if (u(rng) < 0.05) w.talent.age_months[t] = 60 * 12 + static_cast<std::int32_t>(u(rng) * 60);
    if (u(rng) < 0.1) w.talent.age_months[t] = 22 * 12;  // young: searches far
  }
}

void shake_funds(World& w, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (std::size_t f = 0; f < w.funds.size(); ++f) {
    w.funds.deals_this_year[f] =
        static_cast<std::int32_t>(u(rng) * (w.funds.deals_per_year[f] + 1));
    if (u(rng) < 0.1) w.funds.open[f] = 0;
  }
  std::normal_distribution<double> normal(0.0, 0.3);
  for (double& m : w.momentum) m = coarse(normal(rng), 0.1);
}

// Every flow that a series records (the series catalogue names them), byte for byte.
::testing::AssertionResult same_flows(const StepFlows& a, const StepFlows& b) {
  for (const SeriesInfo& info : SeriesBook::catalogue()) {
    if (!info.step_flow) continue;
    const std::vector<double>&x = a.*info.step_flow, &y = b.*info.step_flow;
    if (x.size() != y.size() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) != 0) {
      return ::testing::AssertionFailure() << "flows of series " << info.name << " differ";
    }
  }
  return ::testing::AssertionSuccess();
}

// Runs `optimised` and `plain` on copies of every warmed world, as it is and shaken `shakes`
// times, on the serial executor and on 1 and 2 threads; `prepare` (same for both) brings a
// world to the phase's input. Returns how many cases were compared, and adds to `activity` the
// sum of one flow over the reference's results (so that a test can see the phase did act).
using Phase = std::function<void(World&, const StepContext&)>;
using Shake = std::function<void(World&, std::mt19937_64&)>;
int compare_on_worlds(const Phase& prepare, const Shake& shake, const Phase& optimised,
                      const Phase& plain, int shakes, const std::vector<double> StepFlows::*flow,
                      double& activity) {
  int cases = 0;
  std::mt19937_64 rng(20261204);
  for (const auto& warmed : warmed_worlds()) {
    for (int variant = 0; variant <= shakes; ++variant) {
      World input = *warmed;
      if (variant > 0) shake(input, rng);
      const PolicyState policy = input.policy();
      prepare(input, StepContext{input.params, Executor(2), input.seed, input.step, policy});
      World expected = input;
      const PolicyState expected_policy = expected.policy();
      plain(expected, StepContext{expected.params, Executor(0), expected.seed, expected.step,
                                  expected_policy});
      for (const double x : expected.flows.*flow) activity += x;
      for (const int threads : {0, 1, 2}) {
        World actual = input;
        const PolicyState actual_policy = actual.policy();
        const Executor executor(threads);
        optimised(actual,
                  StepContext{actual.params, executor, actual.seed, actual.step, actual_policy});
        const std::string where = "step " + std::to_string(input.step) + ", variant " +
                                  std::to_string(variant) + ", threads " + std::to_string(threads);
        EXPECT_TRUE(same_bits(actual.firms, expected.firms)) << where;
        EXPECT_TRUE(same_bits(actual.talent, expected.talent)) << where;
        EXPECT_TRUE(same_bits(actual.funds, expected.funds)) << where;
        EXPECT_TRUE(same_bits(actual.deals, expected.deals)) << where;
        EXPECT_TRUE(same_flows(actual.flows, expected.flows)) << where;
        EXPECT_EQ(actual.next_deal_id, expected.next_deal_id) << where;
        ++cases;
      }
    }
  }
  return cases;
}

const Phase nothing = [](World&, const StepContext&) {};

}  // namespace

TEST(ReferenceEquivalence, TalentLife) {
  double departures = 0.0;
  const int cases = compare_on_worlds(
      nothing,
      [](World& w, std::mt19937_64& rng) {
        shake_firms(w, rng);
        shake_talent(w, rng);
      },
      [](World& w, const StepContext& c) {
        talent_life(w.talent, w.firms, w.parks, w.cells, c, w.flows);
      },
      [](World& w, const StepContext& c) {
        reference::talent_life(w.talent, w.firms, w.parks, w.cells, c, w.flows);
      },
      3, &StepFlows::talent_departures, departures);
  EXPECT_EQ(cases, 8 * 4 * 3);
  EXPECT_GT(departures, 100.0);
}

TEST(ReferenceEquivalence, MatchLabour) {
  double hires = 0.0, shaken_hires = 0.0;
  // The input of the labour market: the month's intents from talent_life (or shaken ones).
  const int cases = compare_on_worlds(
      [](World& w, const StepContext& c) {
        talent_life(w.talent, w.firms, w.parks, w.cells, c, w.flows);
      },
      [](World& w, std::mt19937_64& rng) { shake_firms(w, rng); },
      [](World& w, const StepContext& c) { match_labour(w.talent, w.firms, c, w.flows); },
      [](World& w, const StepContext& c) {
        reference::match_labour(w.talent, w.firms, c, w.flows);
      },
      3, &StepFlows::hires, hires);
  EXPECT_EQ(cases, 8 * 4 * 3);
  EXPECT_GT(hires, 1000.0);
  // Shaken intents and target parks after talent_life, so that far searches and crowded
  // markets are common too.
  compare_on_worlds(
      nothing,
      [](World& w, std::mt19937_64& rng) {
        shake_firms(w, rng);
        shake_talent(w, rng);
      },
      [](World& w, const StepContext& c) { match_labour(w.talent, w.firms, c, w.flows); },
      [](World& w, const StepContext& c) {
        reference::match_labour(w.talent, w.firms, c, w.flows);
      },
      3, &StepFlows::hires, shaken_hires);
  EXPECT_GT(shaken_hires, 1000.0);
}

TEST(ReferenceEquivalence, VcDeals) {
  double rounds = 0.0;
  const int cases = compare_on_worlds(
      nothing,
      [](World& w, std::mt19937_64& rng) {
        shake_firms(w, rng);
        shake_funds(w, rng);
      },
      [](World& w, const StepContext& c) {
        vc_deals(w.firms, w.funds, w.deals, w.parks, c, w.year(), w.momentum, w.next_deal_id,
                 w.flows);
      },
      [](World& w, const StepContext& c) {
        reference::vc_deals(w.firms, w.funds, w.deals, w.parks, c, w.year(), w.momentum,
                            w.next_deal_id, w.flows);
      },
      3, &StepFlows::vc_rounds, rounds);
  EXPECT_EQ(cases, 8 * 4 * 3);
  EXPECT_GT(rounds, 100.0);
}

// The comparison is not blind: a reference that differs in one rule (a searcher accepts any
// wage) is caught.
TEST(ReferenceEquivalence, ADifferentRuleIsCaught) {
  World input = *warmed_worlds()[2];
  const PolicyState policy = input.policy();
  const StepContext ctx{input.params, Executor(2), input.seed, input.step, policy};
  talent_life(input.talent, input.firms, input.parks, input.cells, ctx, input.flows);
  World optimised = input, altered = input;
  match_labour(optimised.talent, optimised.firms, ctx, optimised.flows);
  altered.params.talent_switch_premium = -1.0;  // any offer beats the current wage
  const StepContext altered_ctx{altered.params, Executor(0), altered.seed, altered.step, policy};
  reference::match_labour(altered.talent, altered.firms, altered_ctx, altered.flows);
  EXPECT_FALSE(same_bits(optimised.talent, altered.talent));
}
