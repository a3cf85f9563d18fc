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
    : params_(scenario.parameters()), seed_(seed), executor_(threads) {
  Population population = generate_population(data, params_, seed_, executor_);
  parks_ = std::move(population.parks);
  firms_ = std::move(population.firms);
  talent_ = std::move(population.talent);
  incubators_ = std::move(population.incubators);
  raise_funds(funds_, firms_, params_, seed_, base_year, 0, true);
  next_firm_id_ = population.next_firm_id;
  next_talent_id_ = population.next_talent_id;
  staff_firms(firms_, talent_, executor_);  // team skill of the base-year firms
  check_firm_invariants(firms_, executor_, "initial population", 0);
  check_talent_invariants(talent_, firms_, executor_, "initial population", 0);
  update_policy(base_year);
  measure_cells(firms_, parks_, params_, executor_, cells_, policy_);
  parks_.reset_standing(params_.focus_max_named, cells_.revenue_cny);
  city_ = initial_city(cells_, params_);
  measure_talent(talent_, params_, executor_, cells_);
  measure_incubators(incubators_, params_, cells_);
  series_ = SeriesBook(parks_.size());
  total_steps_ = static_cast<std::uint32_t>((params_.horizon_year - base_year + 1) * 12);
}

Simulation::~Simulation() = default;

int Simulation::year() const {
  return steps_done_ == 0 ? base_year : base_year + static_cast<int>((steps_done_ - 1) / 12);
}

int Simulation::month() const {
  return steps_done_ == 0 ? 0 : static_cast<int>((steps_done_ - 1) % 12) + 1;
}

void Simulation::step() {
  if (finished()) {
    throw Error("the run has reached its horizon (December " +
                std::to_string(params_.horizon_year) + "); nothing left to step");
  }
  const std::uint32_t step = steps_done_ + 1;
  const int step_year = base_year + static_cast<int>((step - 1) / 12);
  update_policy(step_year);
  const StepContext ctx{params_, executor_, seed_, step, policy_};
  StepFlows flows(parks_.size());
  const StepAccounts before =
      take_accounts(firms_, talent_, parks_.size(), executor_, firms_.size(),
                    closing_counts_ ? &*closing_counts_ : nullptr);

  // The schedule (docs/model.md, "Process overview and scheduling"). Rules read the cell
  // statistics measured at the end of the previous step.
  if (ctx.step > 1 && (ctx.step - 1) % 12 == 0) {  // each January
    start_incubator_year(incubators_);
    start_fund_year(funds_);
    raise_funds(funds_, firms_, params_, seed_, step_year, ctx.step, false, policy_);
  }
  if ((ctx.step - 1) % 12 == 0) develop_incubators(incubators_, parks_, cells_, ctx);
  grow_city(city_, ctx);
  supply_floor_space(parks_, cells_, ctx);
  grow_firms(firms_, parks_, cells_, ctx, &flows);
  innovate(firms_, cells_, ctx, flows);
  check_firm_invariants(firms_, executor_, "grow_firms", ctx.step);
  exit_firms(firms_, incubators_, ctx, flows.exits);
  vc_exits(firms_, funds_, deals_, ctx, flows);
  vc_deals(firms_, funds_, deals_, ctx, step_year, sector_momentum(), next_deal_id_, flows);
  relocate_firms(firms_, talent_, parks_, cells_, ctx, city_, flows);
  graduate_incubatees(incubators_, firms_, cells_, ctx, flows);
  talent_life(talent_, firms_, parks_, cells_, ctx, flows);
  const std::size_t first_new_firm = firms_.size();
  enter_firms(firms_, parks_, cells_, ctx, next_firm_id_, flows.entries);
  found_incubator_teams(incubators_, firms_, cells_, ctx, next_firm_id_, flows);
  const std::size_t first_spinoff = firms_.size();
  enter_spinoffs(talent_, firms_, cells_, ctx, next_firm_id_, flows);
  admit_to_incubators(incubators_, firms_, first_new_firm, ctx, flows);
  talent_arrivals(talent_, firms_, first_new_firm, first_spinoff, parks_, cells_, ctx,
                  next_talent_id_, flows);
  match_labour(talent_, firms_, ctx, flows);
  // staff_firms writes only firms; the talent audit and measure_talent only read talent, so
  // they run beside it (one wake-up of the workers for the three).
  executor_.run_both(
      [&] {
        staff_firms(firms_, talent_, executor_);
        check_firm_invariants(firms_, executor_, "staff_firms", ctx.step);
      },
      [&] {
        check_talent_invariants(talent_, firms_, executor_, "staff_firms", ctx.step, false);
        measure_talent(talent_, params_, executor_, cells_);
      },
      talent_.size());
  closing_counts_ = take_accounts(firms_, talent_, parks_.size(), executor_, before.firm_rows);
  check_step_accounts(before, *closing_counts_, flows, parks_, ctx.step);
  if (steps_done_ % 12 == 11) award_titles(firms_, params_, executor_);  // December
  measure_cells(firms_, parks_, params_, executor_, cells_, policy_);    // keeps cells_.talent
  measure_city(city_, params_, ctx.step);
  ++steps_done_;
  if (month() == 12) {
    evaluate_incubators(incubators_, params_);
    close_fund_year(funds_, deals_, firms_, params_, year());
  }
  measure_incubators(incubators_, params_, cells_);

  series_.record(year(), month(), parks_, cells_, flows, city_, 1.0 / params_.scale);
  if (month() == 12) {
    // The year's targets, then the evaluation of parks (its removals count from January).
    targets_.record(year(), series_, parks_, params_);
    if (policy_.at(Lever::evaluation) > 0.0) evaluate_parks(series_, params_, parks_);
  }

  if (month() == 12) {
    const int years_run = year() - base_year + 1;
    if (output_ && params_.firm_snapshots &&
        (years_run % params_.snapshot_interval_years == 0 || finished())) {
      output_->write_snapshot(std::to_string(year()), year(), 12, firms_);
    }
    if (output_ && params_.firm_snapshots &&
        (years_run % params_.snapshot_interval_years == 0 || finished())) {
      output_->write_incubator_snapshot(std::to_string(year()), year(), 12, incubators_);
      output_->write_vc_snapshot(std::to_string(year()), year(), 12, funds_, deals_);
    }
    if (output_ && params_.talent_snapshots &&
        (years_run % params_.talent_snapshot_interval_years == 0 || finished())) {
      output_->write_talent_snapshot(std::to_string(year()), year(), 12, talent_,
                                     params_.talent_snapshot_float32);
    }
    compact_agents(firms_, talent_, deals_, executor_);
    check_talent_invariants(talent_, firms_, executor_, "compact_agents", ctx.step);
  }
}

void Simulation::reserve_agents(std::size_t firms, std::size_t talent, std::size_t incubators,
                                std::size_t funds, std::size_t deals) {
  firms_.reserve(firms);
  talent_.reserve(talent);
  incubators_.reserve(incubators);
  funds_.reserve(funds);
  deals_.reserve(deals);
}

std::vector<double> Simulation::sector_momentum() const {
  // Log growth of each cell's revenue over the twelve months to the last recorded month.
  const std::size_t n_cells = parks_.size() * sector_count;
  std::vector<double> momentum(n_cells, 0.0);
  const std::size_t months = series_.months();
  if (months < 13) return momentum;
  const std::vector<double>& revenue = series_.values("revenue_cny");
  const std::size_t now = (months - 1) * n_cells, before = (months - 13) * n_cells;
  for (std::size_t c = 0; c < n_cells; ++c) {
    if (revenue[now + c] > 0 && revenue[before + c] > 0) {
      momentum[c] = std::log(revenue[now + c] / revenue[before + c]);
    }
  }
  return momentum;
}

void Simulation::update_policy(int year) {
  for (std::size_t l = 0; l < lever_count; ++l) policy_.level[l] = params_.levers[l].level(year);
  policy_.in_zone = parks_.in_zone.empty() ? nullptr : &parks_.in_zone;
  policy_.standing = parks_.standing.empty() ? nullptr : &parks_.standing;
}

void Simulation::set_lever(const std::string& lever, const LeverSchedule& schedule) {
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
  check.set(key + ".intensity", schedule.intensity);
  check.set(key + ".start_year", schedule.start_year);
  check.set(key + ".end_year", schedule.end_year);
  if (schedule.start_year > schedule.end_year) {
    throw ScenarioError(
        key + ".end_year", format_value(schedule.end_year),
        "a year at or after the lever's start_year (" + format_value(schedule.start_year) + ")");
  }
  params_.levers[index] = schedule;
  lever_changes_.push_back("after step " + std::to_string(steps_done_) + ": " + key +
                           " intensity=" + format_value(schedule.intensity) +
                           " start_year=" + std::to_string(schedule.start_year) +
                           " end_year=" + std::to_string(schedule.end_year));
}

void Simulation::run_until(int year) {
  const std::int64_t last_year = std::min<std::int64_t>(year, params_.horizon_year);
  const std::int64_t last_step = std::max<std::int64_t>(0, (last_year - base_year + 1) * 12);
  while (steps_done_ < last_step) step();
}

void Simulation::open_output(const std::string& path, const Attributes& attributes) {
  if (output_) throw OutputError("an output file is already open: " + output_->path());
  // The serial reference writes at once; otherwise a writer thread compresses the snapshots.
  auto writer = std::make_unique<ResultsWriter>(path, attributes, parks_, !executor_.serial());
  // The base-year state; a file opened later (a continued run) starts with the next December.
  if (steps_done_ == 0) {
    if (params_.firm_snapshots) {
      writer->write_snapshot("initial", base_year, 0, firms_);
      writer->write_incubator_snapshot("initial", base_year, 0, incubators_);
      writer->write_vc_snapshot("initial", base_year, 0, funds_, deals_);
    }
    if (params_.talent_snapshots)
      writer->write_talent_snapshot("initial", base_year, 0, talent_,
                                    params_.talent_snapshot_float32);
  }
  output_ = std::move(writer);
}

void Simulation::close_output(const Attributes& attributes) {
  if (!output_) throw OutputError("no output file is open");
  std::unique_ptr<ResultsWriter> writer = std::move(output_);
  // A run stopped before the horizon still gets the firm table of its last December.
  const std::string last = std::to_string(year());
  if (params_.firm_snapshots && month() == 12 && !writer->has_snapshot("snapshots/" + last)) {
    writer->write_snapshot(last, year(), 12, firms_);
    writer->write_incubator_snapshot(last, year(), 12, incubators_);
    writer->write_vc_snapshot(last, year(), 12, funds_, deals_);
  }
  if (params_.talent_snapshots && month() == 12 &&
      !writer->has_snapshot("talent_snapshots/" + last)) {
    writer->write_talent_snapshot(last, year(), 12, talent_, params_.talent_snapshot_float32);
  }
  std::string changes;
  for (const std::string& change : lever_changes_) changes += change + "\n";
  writer->finish(series_, targets_, params_, attributes, changes);
}

}  // namespace clustersim
