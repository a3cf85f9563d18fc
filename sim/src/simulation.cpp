#include "clustersim/simulation.hpp"

#include <algorithm>

#include "clustersim/errors.hpp"
#include "clustersim/model/population.hpp"
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
  next_firm_id_ = population.next_firm_id;
  check_firm_invariants(firms_, executor_, "initial population", 0);
  measure_cells(firms_, parks_, params_, executor_, cells_);
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
  const StepContext ctx{params_, executor_, seed_, steps_done_ + 1};
  const std::size_t n_cells = parks_.size() * sector_count;
  std::vector<double> entries(n_cells, 0.0), exits(n_cells, 0.0);

  // The schedule (docs/model.md, "Process overview and scheduling"). Rules read the cell
  // statistics measured at the end of the previous step.
  supply_floor_space(parks_, ctx);
  grow_firms(firms_, parks_, cells_, ctx);
  check_firm_invariants(firms_, executor_, "grow_firms", ctx.step);
  exit_firms(firms_, ctx, exits);
  enter_firms(firms_, parks_, cells_, ctx, next_firm_id_, entries);
  check_firm_invariants(firms_, executor_, "enter_firms", ctx.step);
  measure_cells(firms_, parks_, params_, executor_, cells_);

  ++steps_done_;
  const double weight = 1.0 / params_.scale;
  for (std::size_t c = 0; c < n_cells; ++c) {
    entries[c] *= weight;
    exits[c] *= weight;
  }
  series_.record(year(), month(), parks_, cells_, entries, exits);

  if (month() == 12) {
    const int years_run = year() - base_year + 1;
    if (output_ && params_.firm_snapshots &&
        (years_run % params_.snapshot_interval_years == 0 || finished())) {
      output_->write_snapshot(std::to_string(year()), year(), 12, firms_);
    }
    firms_.compact();  // dead firms leave the arrays once a year
  }
}

void Simulation::run_until(int year) {
  const std::int64_t last_year = std::min<std::int64_t>(year, params_.horizon_year);
  const std::int64_t last_step = std::max<std::int64_t>(0, (last_year - base_year + 1) * 12);
  while (steps_done_ < last_step) step();
}

void Simulation::open_output(const std::string& path, const Attributes& attributes) {
  if (output_) throw OutputError("an output file is already open: " + output_->path());
  auto writer = std::make_unique<ResultsWriter>(path, attributes, parks_);
  // The base-year state; a file opened later (a continued run) starts with the next December.
  if (params_.firm_snapshots && steps_done_ == 0) {
    writer->write_snapshot("initial", base_year, 0, firms_);
  }
  output_ = std::move(writer);
}

void Simulation::close_output(const Attributes& attributes) {
  if (!output_) throw OutputError("no output file is open");
  std::unique_ptr<ResultsWriter> writer = std::move(output_);
  // A run stopped before the horizon still gets the firm table of its last December.
  if (params_.firm_snapshots && month() == 12 && !writer->has_snapshot(std::to_string(year()))) {
    writer->write_snapshot(std::to_string(year()), year(), 12, firms_);
  }
  writer->finish(series_, attributes);
}

}  // namespace clustersim
