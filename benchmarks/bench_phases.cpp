// One benchmark per phase of Simulation::step, on the warmed state of warm_state.hpp. A phase's
// input is the world after the monthly phases before it (as in the step), so that it sees this
// month's intents, entries and flows. Every call starts from that same input: the parts the
// phase writes are copied back between calls, outside the timed region.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstring>
#include <memory>
#include <type_traits>

#include "registry.hpp"
#include "warm_state.hpp"

namespace clustersim::bench {
namespace {

// The parts of a World that a phase writes (ids and the month's indices always go back). Only
// those are copied back: for the smallest phases the copy, not the phase, would set the pace.
enum Part : unsigned {
  firms_part = 1u << 0,
  talent_part = 1u << 1,
  incubators_part = 1u << 2,
  funds_part = 1u << 3,
  deals_part = 1u << 4,
  parks_part = 1u << 5,
  cells_part = 1u << 6,
  city_part = 1u << 7,
  series_part = 1u << 8,
  flows_part = 1u << 9,
};

// What a phase passes over, for its agent-updates: firm phases count firms, talent phases
// talent; the region outside the zone counts as one agent.
enum class Over { firms, talent, incubators, funds, deals, parks, city, all };

struct PhaseCase {
  const char* name;
  bool yearly;  // January or December only: left out of the month that later phases see
  Over over;
  unsigned writes;
  void (*run)(World&, const StepContext&);
};

// In the order of Simulation::step (keep it so: each phase's input is the month before it).
const std::vector<PhaseCase>& phase_cases() {
  using W = World;
  using C = StepContext;
  static const std::vector<PhaseCase> cases = {
      {"raise_funds", true, Over::funds, funds_part,
       [](W& w, const C& c) {
         raise_funds(w.funds, w.firms, w.deals, w.params, w.seed, w.year(), c.step, false,
                     c.policy);
       }},
      {"develop_incubators", true, Over::incubators, incubators_part,
       [](W& w, const C& c) { develop_incubators(w.incubators, w.parks, w.cells, c); }},
      {"grow_city", false, Over::city, city_part, [](W& w, const C& c) { grow_city(w.city, c); }},
      {"supply_floor_space", false, Over::parks, parks_part,
       [](W& w, const C& c) { supply_floor_space(w.parks, w.cells, c); }},
      {"grow_firms", false, Over::firms, firms_part,
       [](W& w, const C& c) { grow_firms(w.firms, w.parks, w.cells, c); }},
      {"innovate", false, Over::firms, firms_part | flows_part,
       [](W& w, const C& c) { innovate(w.firms, w.parks, w.cells, c, w.flows); }},
      {"check_firm_invariants", false, Over::firms, 0,
       [](W& w, const C& c) { check_firm_invariants(w.firms, c.executor, "bench", c.step); }},
      {"exit_firms", false, Over::firms, firms_part | flows_part,
       [](W& w, const C& c) { exit_firms(w.firms, w.incubators, c, w.flows.exits); }},
      {"vc_exits", false, Over::deals, firms_part | funds_part | deals_part | flows_part,
       [](W& w, const C& c) { vc_exits(w.firms, w.funds, w.deals, c, w.flows); }},
      {"vc_deals", false, Over::firms, firms_part | funds_part | deals_part | flows_part,
       [](W& w, const C& c) {
         vc_deals(w.firms, w.funds, w.deals, w.parks, c, w.year(), w.momentum, w.next_deal_id,
                  w.flows);
       }},
      {"relocate_firms", false, Over::firms, firms_part | talent_part | city_part | flows_part,
       [](W& w, const C& c) {
         relocate_firms(w.firms, w.talent, w.parks, w.cells, c, w.city, w.flows);
       }},
      {"graduate_incubatees", false, Over::firms, incubators_part | firms_part | flows_part,
       [](W& w, const C& c) { graduate_incubatees(w.incubators, w.firms, w.cells, c, w.flows); }},
      {"talent_life", false, Over::talent, talent_part | flows_part,
       [](W& w, const C& c) { talent_life(w.talent, w.firms, w.parks, w.cells, c, w.flows); }},
      {"enter_firms", false, Over::firms, firms_part | flows_part,
       [](W& w, const C& c) {
         w.first_new_firm = w.firms.size();
         enter_firms(w.firms, w.parks, w.cells, c, w.next_firm_id, w.flows.entries);
       }},
      {"found_incubator_teams", false, Over::incubators, incubators_part | firms_part | flows_part,
       [](W& w, const C& c) {
         found_incubator_teams(w.incubators, w.firms, w.cells, c, w.next_firm_id, w.flows);
       }},
      {"enter_spinoffs", false, Over::talent, talent_part | firms_part | flows_part,
       [](W& w, const C& c) {
         w.first_spinoff = w.firms.size();
         enter_spinoffs(w.talent, w.firms, w.cells, c, w.next_firm_id, w.flows);
       }},
      {"admit_to_incubators", false, Over::firms, incubators_part | firms_part | flows_part,
       [](W& w, const C& c) {
         admit_to_incubators(w.incubators, w.firms, w.first_new_firm, c, w.flows);
       }},
      {"talent_arrivals", false, Over::talent, talent_part | flows_part,
       [](W& w, const C& c) {
         talent_arrivals(w.talent, w.firms, w.first_new_firm, w.first_spinoff, w.parks, w.cells, c,
                         w.next_talent_id, w.flows);
       }},
      {"match_labour", false, Over::talent, talent_part | flows_part,
       [](W& w, const C& c) { match_labour(w.talent, w.firms, c, w.flows); }},
      {"staff_firms", false, Over::talent, firms_part,
       [](W& w, const C& c) { staff_firms(w.firms, w.talent, c.executor); }},
      {"award_titles", true, Over::firms, firms_part,
       [](W& w, const C& c) { award_titles(w.firms, w.params, c.executor); }},
      {"measure_cells", false, Over::firms, cells_part,
       [](W& w, const C& c) {
         measure_cells(w.firms, w.parks, w.params, c.executor, w.cells, c.policy);
       }},
      {"measure_talent", false, Over::talent, cells_part,
       [](W& w, const C& c) { measure_talent(w.talent, w.params, c.executor, w.cells); }},
      {"measure_city", false, Over::city, city_part,
       [](W& w, const C& c) { measure_city(w.city, w.params, c.step); }},
      {"evaluate_incubators", true, Over::incubators, incubators_part,
       [](W& w, const C&) { evaluate_incubators(w.incubators, w.params, 2025); }},
      {"close_fund_year", true, Over::deals, funds_part,
       [](W& w, const C&) { close_fund_year(w.funds, w.deals, w.firms, w.params, w.year()); }},
      {"measure_incubators", false, Over::incubators, cells_part,
       [](W& w, const C&) { measure_incubators(w.incubators, w.params, w.cells); }},
      {"record_series", false, Over::parks, series_part,
       [](W& w, const C& c) {
         w.series.record(w.year(), static_cast<int>((c.step - 1) % 12) + 1, w.parks, w.cells,
                         w.flows, w.city, 1.0 / w.params.scale);
       }},
      {"evaluate_parks", true, Over::parks, parks_part,
       [](W& w, const C&) { evaluate_parks(w.series, w.params, w.parks); }},
      {"compact_agents", true, Over::all, firms_part | talent_part | deals_part,
       [](W& w, const C& c) { compact_agents(w.firms, w.talent, w.deals, c.executor); }},
  };
  return cases;
}

double count(Over over, const World& w) {
  switch (over) {
    case Over::firms:
      return static_cast<double>(w.firms.size());
    case Over::talent:
      return static_cast<double>(w.talent.size());
    case Over::incubators:
      return static_cast<double>(w.incubators.size());
    case Over::funds:
      return static_cast<double>(w.funds.size());
    case Over::deals:
      return static_cast<double>(w.deals.size());
    case Over::parks:
      return static_cast<double>(w.parks.size());
    case Over::city:
      return 1.0;
    case Over::all:
      return static_cast<double>(w.agents());
  }
  return 0.0;
}

// to = from, column by column, into to's own buffers, grown once to `capacity`: a copy
// assignment would allocate exactly from's size, and the first append of every call would then
// reallocate and copy all columns (which a real run, with room to spare, rarely does).
template <class Arrays>
void restore_agents(Arrays& to, const Arrays& from, std::size_t capacity) {
  to.visit_columns([&](const char* name, auto& column, const char*) {
    using ToColumn = std::remove_reference_t<decltype(column)>;
    from.visit_columns([&](const char* from_name, const auto& source, const char*) {
      if constexpr (std::is_same_v<ToColumn, std::remove_cvref_t<decltype(source)>>) {
        if (std::strcmp(name, from_name) != 0) return;
        column.reserve(std::max(capacity, source.size()));
        column.resize(source.size());
        std::copy(source.begin(), source.end(), column.data());
      }
    });
  });
}

void restore(World& work, const World& input, unsigned writes) {
  if (writes & firms_part) restore_agents(work.firms, input.firms, input.firm_capacity);
  if (writes & talent_part) restore_agents(work.talent, input.talent, input.talent_capacity);
  if (writes & incubators_part) {
    restore_agents(work.incubators, input.incubators, input.incubator_capacity);
  }
  if (writes & funds_part) restore_agents(work.funds, input.funds, input.fund_capacity);
  if (writes & deals_part) restore_agents(work.deals, input.deals, input.deal_capacity);
  if (writes & parks_part) work.parks = input.parks;
  if (writes & cells_part) work.cells = input.cells;
  if (writes & city_part) work.city = input.city;
  if (writes & series_part) work.series = input.series;
  if (writes & flows_part) work.flows = input.flows;
  work.next_firm_id = input.next_firm_id;
  work.next_talent_id = input.next_talent_id;
  work.next_deal_id = input.next_deal_id;
  work.first_new_firm = input.first_new_firm;
  work.first_spinoff = input.first_spinoff;
}

// The world after the monthly phases before phase k. Cases are registered phase by phase, so
// the world of the last call is advanced rather than rebuilt: one month's work per scale.
const World& month_before(std::size_t k, int denominator, const Executor& executor) {
  static int prepared_denominator = 0;
  static std::size_t phases_run = 0;
  static std::unique_ptr<World> world;
  if (!world || prepared_denominator != denominator || phases_run > k) {
    world = std::make_unique<World>(*warm_state(denominator).world);
    prepared_denominator = denominator;
    phases_run = 0;
  }
  const PolicyState policy = world->policy();
  const StepContext ctx{world->params, executor, world->seed, world->step, policy};
  for (; phases_run < k; ++phases_run) {
    if (!phase_cases()[phases_run].yearly) phase_cases()[phases_run].run(*world, ctx);
  }
  return *world;
}

// Google Benchmark would run a 50 ns phase millions of times, each after a copy of its input
// that costs far more than the phase. So one benchmark iteration times calls until `min_time_s`
// of phase time, or 2.5 times that of wall time, have passed, and reports the time per call.
void time_phase(benchmark::State& state, std::size_t phase_index, int denominator, int threads,
                double min_time_s) {
  using clock = std::chrono::steady_clock;
  Executor executor(threads);
  const World& input = month_before(phase_index, denominator, executor);
  // On an arena of one thread the phase's parallel regions are recorded (only in the timed
  // calls): its scaling bounds.
  std::vector<Executor::Region> regions;
  if (threads == 1) executor.record_regions(&regions);
  World work = input;
  const PolicyState policy = work.policy();  // points at work's parks, which stay in place
  const StepContext ctx{work.params, executor, work.seed, work.step, policy};
  const PhaseCase& phase = phase_cases()[phase_index];
  for (auto _ : state) {
    const clock::time_point begun = clock::now();
    double timed_s = 0;
    std::int64_t calls = 0;
    while (calls < 3 ||
           (timed_s < min_time_s &&
            std::chrono::duration<double>(clock::now() - begun).count() < 2.5 * min_time_s)) {
      restore(work, input, phase.writes);
      const clock::time_point started = clock::now();
      phase.run(work, ctx);
      timed_s += std::chrono::duration<double>(clock::now() - started).count();
      ++calls;
    }
    state.SetIterationTime(timed_s / static_cast<double>(calls));
    state.counters["calls"] = benchmark::Counter(static_cast<double>(calls));
    if (threads == 1) report_scaling_bounds(state, regions, timed_s);
    regions.clear();
  }
  executor.record_regions(nullptr);
  report_agent_updates(state, count(phase.over, input));
}

}  // namespace

void register_phase_benchmarks(int denominator, double min_time_s) {
  for (std::size_t k = 0; k < phase_cases().size(); ++k) {
    for (int threads : thread_counts) {
      benchmark::RegisterBenchmark(
          case_name(std::string("phase/") + phase_cases()[k].name, denominator, threads).c_str(),
          [=](benchmark::State& state) { time_phase(state, k, denominator, threads, min_time_s); })
          ->Iterations(1)
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond);
    }
  }
}

}  // namespace clustersim::bench
