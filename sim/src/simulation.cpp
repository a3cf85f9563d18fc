#include "clustersim/simulation.hpp"

#include <algorithm>
#include <cmath>

#include "clustersim/errors.hpp"
#include "clustersim/init/population.hpp"
#include "clustersim/phases/phases.hpp"

namespace clustersim {

Simulation::Simulation(const Scenario& scenario, std::uint64_t seed, int threads)
    : Simulation(scenario, default_base_data(), seed, threads) {}

Simulation::Simulation(const Scenario& scenario, const BaseData& data, std::uint64_t seed,
                       int threads)
    : params_(scenario.parameters()), executor_(threads) {
  state_.seed = seed;
  Population population = generate_population(data, params_, state_.seed, executor_);
  state_.parks = std::move(population.parks);
  state_.firms = std::move(population.firms);
  state_.talent = std::move(population.talent);
  state_.incubators = std::move(population.incubators);
  raise_funds(state_.funds, state_.firms, state_.deals, params_, state_.seed, base_year, 0, true);
  state_.next_firm_id = population.next_firm_id;
  state_.first_new_firm_id = population.next_firm_id;
  state_.next_talent_id = population.next_talent_id;
  staff_firms(state_.firms, state_.talent, executor_);  // team skill of the base-year firms
  check_firm_invariants(state_.firms, executor_, "initial population", 0);
  check_talent_invariants(state_.talent, state_.firms, executor_, "initial population", 0);
  update_policy(base_year);
  measure_cells(state_.firms, state_.parks, params_, executor_, state_.cells, policy_);
  state_.parks.reset_standing(params_.focus_max_named, state_.cells.revenue_cny);
  state_.city = initial_city(state_.cells, params_);
  measure_talent(state_.talent, params_, executor_, state_.cells);
  measure_incubators(state_.incubators, params_, state_.cells);
  state_.series = SeriesBook(state_.parks.size());
  total_steps_ = static_cast<std::uint32_t>((params_.horizon_year - base_year + 1) * 12);
}

Simulation::~Simulation() = default;

int Simulation::year() const {
  return state_.steps_done == 0 ? base_year
                                : base_year + static_cast<int>((state_.steps_done - 1) / 12);
}

int Simulation::month() const {
  return state_.steps_done == 0 ? 0 : static_cast<int>((state_.steps_done - 1) % 12) + 1;
}

void Simulation::step() {
  if (finished()) {
    throw Error("the run has reached its horizon (December " +
                std::to_string(params_.horizon_year) + "); nothing left to step");
  }
  const std::uint32_t step = state_.steps_done + 1;
  const int step_year = base_year + static_cast<int>((step - 1) / 12);
  update_policy(step_year);
  const StepContext ctx{params_, executor_, state_.seed, step, policy_};
  StepFlows flows(state_.parks.size());
  add_policy_cost(step_year, flows.policy_cost_cny);
  const StepAccounts before =
      take_accounts(state_.firms, state_.talent, state_.parks.size(), executor_,
                    state_.firms.size(), closing_counts_ ? &*closing_counts_ : nullptr);

  // The schedule (docs/model.md, "Process overview and scheduling"). Rules read the cell
  // statistics measured at the end of the previous step.
  if (ctx.step > 1 && (ctx.step - 1) % 12 == 0) {  // each January
    start_incubator_year(state_.incubators);
    start_fund_year(state_.funds);
    raise_funds(state_.funds, state_.firms, state_.deals, params_, state_.seed, step_year, ctx.step,
                false, policy_);
  }
  if ((ctx.step - 1) % 12 == 0)
    develop_incubators(state_.incubators, state_.parks, state_.cells, ctx);
  grow_city(state_.city, ctx);
  supply_floor_space(state_.parks, state_.cells, ctx);
  grow_firms(state_.firms, state_.parks, state_.cells, ctx, &flows);
  innovate(state_.firms, state_.parks, state_.cells, ctx, flows);
  check_firm_invariants(state_.firms, executor_, "grow_firms", ctx.step);
  exit_firms(state_.firms, state_.incubators, ctx, flows.exits);
  vc_exits(state_.firms, state_.funds, state_.deals, ctx, flows);
  vc_deals(state_.firms, state_.funds, state_.deals, state_.parks, ctx, step_year,
           sector_momentum(), state_.next_deal_id, flows);
  relocate_firms(state_.firms, state_.talent, state_.parks, state_.cells, ctx, state_.city, flows);
  graduate_incubatees(state_.incubators, state_.firms, state_.cells, ctx, flows);
  talent_life(state_.talent, state_.firms, state_.parks, state_.cells, ctx, flows);
  const std::size_t first_new_firm = state_.firms.size();
  enter_firms(state_.firms, state_.parks, state_.cells, ctx, state_.next_firm_id, flows.entries);
  found_incubator_teams(state_.incubators, state_.firms, state_.cells, ctx, state_.next_firm_id,
                        flows);
  const std::size_t first_spinoff = state_.firms.size();
  enter_spinoffs(state_.talent, state_.firms, state_.cells, ctx, state_.next_firm_id, flows);
  admit_to_incubators(state_.incubators, state_.firms, first_new_firm, ctx, flows);
  talent_arrivals(state_.talent, state_.firms, first_new_firm, first_spinoff, state_.parks,
                  state_.cells, ctx, state_.next_talent_id, flows);
  match_labour(state_.talent, state_.firms, ctx, flows);
  // staff_firms writes only firms; the talent audit and measure_talent only read talent, so
  // they run beside it (one wake-up of the workers for the three).
  executor_.run_both(
      [&] {
        staff_firms(state_.firms, state_.talent, executor_);
        check_firm_invariants(state_.firms, executor_, "staff_firms", ctx.step);
      },
      [&] {
        check_talent_invariants(state_.talent, state_.firms, executor_, "staff_firms", ctx.step,
                                false);
        measure_talent(state_.talent, params_, executor_, state_.cells);
      },
      state_.talent.size());
  closing_counts_ =
      take_accounts(state_.firms, state_.talent, state_.parks.size(), executor_, before.firm_rows);
  check_step_accounts(before, *closing_counts_, flows, state_.parks, ctx.step);
  if (state_.steps_done % 12 == 11) award_titles(state_.firms, params_, executor_);  // December
  measure_cells(state_.firms, state_.parks, params_, executor_, state_.cells, policy_,
                state_.first_new_firm_id);  // keeps state_.cells.talent
  measure_city(state_.city, params_, ctx.step);
  ++state_.steps_done;
  if (month() == 12) {
    evaluate_incubators(state_.incubators, params_, year());
    close_fund_year(state_.funds, state_.deals, state_.firms, params_, year());
  }
  measure_incubators(state_.incubators, params_, state_.cells);

  state_.series.record(year(), month(), state_.parks, state_.cells, flows, state_.city,
                       1.0 / params_.scale);
  if (month() == 12) {
    // The year's targets, then the evaluation of parks (its removals count from January).
    state_.targets.record(year(), state_.series, state_.parks, params_);
    if (policy_.at(Lever::evaluation) > 0.0) evaluate_parks(state_.series, params_, state_.parks);
  }

  if (month() == 12) {
    const int years_run = year() - base_year + 1;
    if (output_) {
      write_snapshots(*output_, std::to_string(year()), year(), 12,
                      years_run % params_.snapshot_interval_years == 0 || finished(),
                      years_run % params_.talent_snapshot_interval_years == 0 || finished());
    }
    compact_agents(state_.firms, state_.talent, state_.deals, executor_);
    check_talent_invariants(state_.talent, state_.firms, executor_, "compact_agents", ctx.step);
  }
}

void Simulation::reserve_agents(std::size_t firms, std::size_t talent, std::size_t incubators,
                                std::size_t funds, std::size_t deals) {
  state_.firms.reserve(firms);
  state_.talent.reserve(talent);
  state_.incubators.reserve(incubators);
  state_.funds.reserve(funds);
  state_.deals.reserve(deals);
}

std::vector<double> Simulation::sector_momentum() const {
  // Log growth of each cell's revenue over the twelve months to the last recorded month.
  const std::size_t n_cells = state_.parks.size() * sector_count;
  std::vector<double> momentum(n_cells, 0.0);
  const std::size_t months = state_.series.months();
  if (months < 13) return momentum;
  const std::vector<double>& revenue = state_.series.values("revenue_cny");
  const std::size_t now = (months - 1) * n_cells, before = (months - 13) * n_cells;
  for (std::size_t c = 0; c < n_cells; ++c) {
    if (revenue[now + c] > 0 && revenue[before + c] > 0) {
      momentum[c] = std::log(revenue[now + c] / revenue[before + c]);
    }
  }
  return momentum;
}

void Simulation::add_policy_cost(int year, std::vector<double>& cost_by_group) const {
  for (std::size_t l = 0; l < lever_count; ++l) {
    cost_by_group[lever_group_of[l]] += params_.levers[l].cost(year) / 12.0;
  }
  // The parks' own effort (section 3.4.3) is paid by the evaluation group: each park runs the
  // programmes it controls at effort x the evaluation lever's level, at its share of the zone's
  // floor space of their zone-wide cost.
  const Parks& parks = state_.parks;
  if (parks.effort.empty() || policy_.at(Lever::evaluation) == 0.0) return;
  double zone_floor = 0.0;
  for (std::size_t k = 0; k < parks.size(); ++k) {
    if (parks.is_in_zone(k)) zone_floor += parks.floor_space_m2[k];
  }
  double programmes = 0.0;
  for (std::size_t l = 0; l < lever_count; ++l) {
    if (PolicyState::park_run(static_cast<Lever>(l)))
      programmes += params_.levers[l].cost_cny_per_year;
  }
  double effort_cost = 0.0;
  for (std::size_t k = 0; k < parks.size(); ++k) {
    if (!parks.is_in_zone(k) || parks.effort[k] == 0.0) continue;
    effort_cost += parks.effort[k] * policy_.at(Lever::evaluation) * programmes *
                   parks.floor_space_m2[k] / zone_floor;
  }
  cost_by_group[lever_group_of[static_cast<std::size_t>(Lever::evaluation)]] += effort_cost / 12.0;
}

void Simulation::update_policy(int year) {
  for (std::size_t l = 0; l < lever_count; ++l) policy_.level[l] = params_.levers[l].level(year);
  policy_.in_zone = state_.parks.in_zone.empty() ? nullptr : &state_.parks.in_zone;
  policy_.standing = state_.parks.standing.empty() ? nullptr : &state_.parks.standing;
  policy_.effort = state_.parks.effort.empty() ? nullptr : &state_.parks.effort;
}

void Simulation::set_lever(const std::string& lever, double intensity, std::int64_t start_year,
                           std::int64_t end_year) {
  std::size_t index = lever_count;
  for (std::size_t l = 0; l < lever_count; ++l) {
    if (lever_catalogue()[l].key == lever) index = l;
  }
  const std::string key = "policy." + lever;
  if (index == lever_count) {
    throw ScenarioError(key, "(lever)", "a lever of docs/model.md, e.g. policy.land.supply");
  }
  // Validated as scenario values are.
  Scenario check;
  check.set(key + ".intensity", intensity);
  check.set(key + ".start_year", start_year);
  check.set(key + ".end_year", end_year);
  if (start_year > end_year) {
    throw ScenarioError(
        key + ".end_year", format_value(end_year),
        "a year at or after the lever's start_year (" + format_value(start_year) + ")");
  }
  // The lever keeps its time profile (counted from the new start_year) and its cost.
  LeverSchedule& schedule = params_.levers[index];
  schedule.intensity = intensity;
  schedule.start_year = start_year;
  schedule.end_year = end_year;
  state_.lever_changes.push_back("after step " + std::to_string(state_.steps_done) + ": " + key +
                                 " intensity=" + format_value(intensity) +
                                 " start_year=" + std::to_string(start_year) +
                                 " end_year=" + std::to_string(end_year));
}

void Simulation::run_until(int year) {
  const std::int64_t last_year = std::min<std::int64_t>(year, params_.horizon_year);
  const std::int64_t last_step = std::max<std::int64_t>(0, (last_year - base_year + 1) * 12);
  while (state_.steps_done < last_step) step();
}

void Simulation::load_state(const std::function<void(RunState&)>& load) {
  load(state_);
  closing_counts_.reset();
}

void Simulation::write_snapshots(RunOutput& output, const std::string& label, int year, int month,
                                 bool firms_due, bool talent_due) const {
  if (firms_due && params_.firm_snapshots && !output.has_snapshot("snapshots/" + label)) {
    output.write_firm_snapshots(label, year, month, state_);
  }
  if (talent_due && params_.talent_snapshots && !output.has_snapshot("talent_snapshots/" + label)) {
    output.write_talent_snapshot(label, year, month, state_, params_.talent_snapshot_float32);
  }
}

void Simulation::attach_output(std::unique_ptr<RunOutput> output) {
  if (output_) throw OutputError("an output file is already open: " + output_->path());
  // The base-year state; a file opened later (a continued run) starts with the next December.
  if (state_.steps_done == 0) write_snapshots(*output, "initial", base_year, 0, true, true);
  output_ = std::move(output);
}

void Simulation::close_output(const Attributes& attributes) {
  if (!output_) throw OutputError("no output file is open");
  std::unique_ptr<RunOutput> output = std::move(output_);
  // A run stopped before the horizon still gets the agents of its last December.
  if (month() == 12) write_snapshots(*output, std::to_string(year()), year(), 12, true, true);
  output->finish(state_, params_, attributes);
}

void Simulation::abandon_output() { output_.reset(); }

}  // namespace clustersim
