#pragma once
// Simulation: the state of one run (agents, parks, series, step counter) and its schedule of
// phases. Built from a Scenario (what to simulate), a seed and a thread count (how).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/model/base_data.hpp"
#include "clustersim/model/city.hpp"
#include "clustersim/model/policy.hpp"
#include "clustersim/model/series.hpp"
#include "clustersim/model/targets.hpp"
#include "clustersim/phases/step_accounts.hpp"
#include "clustersim/scenario/scenario.hpp"

namespace clustersim {

// Text attributes of an output file (seed, scenario, times...), by name.
using Attributes = std::map<std::string, std::string>;

// Everything of a run that changes as it steps: what a checkpoint stores and a restore sets.
struct RunState {
  std::uint64_t seed = 0;
  std::uint32_t steps_done = 0;
  Parks parks;
  FirmArrays firms;
  TalentArrays talent;
  IncubatorArrays incubators;
  FundArrays funds;
  DealArrays deals;
  CellStats cells;
  SeriesBook series;
  TargetBook targets;
  City city;
  std::int64_t next_firm_id = 0, next_talent_id = 0, next_deal_id = 0;
  std::int64_t first_new_firm_id = 0;      // firms with this id or above were founded in the run
  std::vector<std::string> lever_changes;  // one line per lever changed between steps
};

// Every array of a run's state, by name (e.g. "firms/revenue_cny", "cells/occupancy",
// "series/park/revenue_cny"), through one visitor: visit(name, array). For a const state the
// arrays are const. What a checkpoint writes, reads and signs its layout with, so that the three
// can never disagree. The city, the targets and the scalars are not arrays and are left out.
template <class State, class Visit>
void visit_state_arrays(State& state, Visit&& visit);

class RunOutput;

class Simulation {
 public:
  // threads: 1 or more runs on a oneTBB arena of that size; 0 runs the serial reference.
  Simulation(const Scenario& scenario, std::uint64_t seed, int threads);
  Simulation(const Scenario& scenario, const BaseData& data, std::uint64_t seed, int threads);
  ~Simulation();

  // One month: the phases of docs/model.md, in order.
  void step();
  // Steps through December of `year` (at most to the horizon).
  void run_until(int year);

  std::uint32_t steps_done() const { return state_.steps_done; }
  std::uint32_t total_steps() const { return total_steps_; }
  bool finished() const { return state_.steps_done >= total_steps_; }
  // Calendar of the last completed step; month 0 of the base year before the first step.
  int year() const;
  int month() const;

  const ModelParameters& parameters() const { return params_; }
  std::uint64_t seed() const { return state_.seed; }
  int threads() const { return executor_.threads(); }
  // Profiling (the benchmarks' scaling estimate): the step's parallel regions are appended to
  // `regions` from now on; nullptr stops it.
  void record_regions(std::vector<Executor::Region>* regions) { executor_.record_regions(regions); }
  const FirmArrays& firms() const { return state_.firms; }
  const TalentArrays& talent() const { return state_.talent; }
  const IncubatorArrays& incubators() const { return state_.incubators; }
  const FundArrays& funds() const { return state_.funds; }
  const DealArrays& deals() const { return state_.deals; }
  const Parks& parks() const { return state_.parks; }
  const CellStats& cells() const { return state_.cells; }
  const SeriesBook& series() const { return state_.series; }
  const TargetBook& targets() const { return state_.targets; }
  const City& city() const { return state_.city; }
  // The levers' levels during the last step (before the first: the base year's).
  const PolicyState& policy() const { return policy_; }

  // Room for this many agents of each kind, so that appending reallocates no column before
  // then. A restored Simulation's columns hold exactly its agents, where a run's have grown
  // geometrically; benchmarks that step a restored state use this to step like a run. Changes
  // no result.
  void reserve_agents(std::size_t firms, std::size_t talent, std::size_t incubators,
                      std::size_t funds, std::size_t deals);

  // Changes a lever's schedule between steps (scenario key "policy.<lever>"); the change is
  // validated like a scenario value and logged in the output file's lever_changes.
  void set_lever(const std::string& lever, double intensity, std::int64_t start_year,
                 std::int64_t end_year);

  // The whole state of the run, read-only (io/checkpoint.hpp writes it).
  const RunState& state() const { return state_; }
  // Replaces the run's state: `load` is handed the state (as built from the scenario, so that
  // the parks' static description is there) and fills what changes; the caller (a checkpoint
  // reader, io/checkpoint.hpp) checks that what it loads belongs to this scenario. The accounts
  // of the next step are then counted afresh.
  void load_state(const std::function<void(RunState&)>& load);

  const std::vector<std::string>& lever_changes() const { return state_.lever_changes; }
  std::int64_t next_firm_id() const { return state_.next_firm_id; }
  // Firms with this id or above were founded during the run (after the base-year population).
  std::int64_t first_new_firm_id() const { return state_.first_new_firm_id; }
  std::int64_t next_talent_id() const { return state_.next_talent_id; }
  std::int64_t next_deal_id() const { return state_.next_deal_id; }
  // Each cell's log revenue growth over the last twelve recorded months (0 before a year has
  // passed): what vc_deals reads. Public so that benchmarks can feed the phase its real input.
  std::vector<double> sector_momentum() const;

  // Output (io/results_writer.hpp opens one): attaching writes the base-year snapshots of a run
  // that has not stepped; snapshots follow each interval's December; closing writes the series
  // and renames the file into place.
  void attach_output(std::unique_ptr<RunOutput> output);
  void close_output(const Attributes& attributes);
  // Closes the file without finishing it: <path>.partial stays, marked complete = 0.
  void abandon_output();
  bool output_open() const { return output_ != nullptr; }

 private:
  void update_policy(int year);
  // The month's fiscal cost of the levers by group (series policy_cost_cny), after
  // update_policy.
  void add_policy_cost(int year, std::vector<double>& cost_by_group) const;
  // The snapshots of the agents at the end of `label` (the base year or a December) that are
  // due and not yet in the output: firms with their incubators and funds, and talent.
  void write_snapshots(RunOutput& output, const std::string& label, int year, int month,
                       bool firms_due, bool talent_due) const;

  ModelParameters params_;
  Executor executor_;
  RunState state_;
  PolicyState policy_;
  std::uint32_t total_steps_ = 0;
  std::unique_ptr<RunOutput> output_;
  // The agent counts that closed the last step open the next (docs/model.md, 3.3.12); empty
  // until a step has run in this object (a restored run counts afresh).
  std::optional<StepAccounts> closing_counts_;
};

// Where a run's results go as it steps; io/results_writer.hpp writes them to HDF5.
class RunOutput {
 public:
  virtual ~RunOutput() = default;
  virtual const std::string& path() const = 0;
  // group: "snapshots/<label>" or "talent_snapshots/<label>".
  virtual bool has_snapshot(const std::string& group) const = 0;
  // The living firms, the incubators, every fund and deal so far, at the end of `label`.
  virtual void write_firm_snapshots(const std::string& label, int year, int month,
                                    const RunState& state) = 0;
  // The living talent; `float32` stores skill and wage in single precision.
  virtual void write_talent_snapshot(const std::string& label, int year, int month,
                                     const RunState& state, bool float32) = 0;
  // The series and targets, the final attributes; marks the file complete and renames it.
  virtual void finish(const RunState& state, const ModelParameters& params,
                      const Attributes& attributes) = 0;
};

template <class State, class Visit>
void visit_state_arrays(State& state, Visit&& visit) {
  auto agents = [&](const std::string& group, auto& arrays) {
    arrays.visit_columns(
        [&](const char* name, auto& column, const char*) { visit(group + "/" + name, column); });
  };
  agents("firms", state.firms);
  agents("talent", state.talent);
  agents("incubators", state.incubators);
  agents("funds", state.funds);
  agents("deals", state.deals);
  auto& parks = state.parks;
  visit("parks/floor_space_m2", parks.floor_space_m2);
  visit("parks/in_zone", parks.in_zone);
  visit("parks/standing", parks.standing);
  visit("parks/strikes", parks.strikes);
  visit("parks/score", parks.score);
  visit("parks/effort", parks.effort);
  visit("parks/focus_mask", parks.focus_mask);
  auto& c = state.cells;
  visit("cells/firms", c.firms);
  visit("cells/employees", c.employees);
  visit("cells/revenue_cny", c.revenue_cny);
  visit("cells/log_productivity_mean", c.log_productivity_mean);
  visit("cells/used_floor_space_m2", c.used_floor_space_m2);
  visit("cells/occupancy", c.occupancy);
  visit("cells/talent", c.talent);
  visit("cells/seeking", c.seeking);
  visit("cells/vacancies", c.vacancies);
  visit("cells/incubated", c.incubated);
  visit("cells/unicorns", c.unicorns);
  visit("cells/stage_counts", c.stage_counts);
  visit("cells/rd_spending_cny", c.rd_spending_cny);
  visit("cells/new_firm_revenue_cny", c.new_firm_revenue_cny);
  visit("cells/chain_leader_log_productivity", c.chain_leader_log_productivity);
  visit("cells/incubators", c.incubators);
  visit("cells/high_quality_incubators", c.high_quality_incubators);
  state.series.visit_arrays(
      [&](const std::string& name, auto& values) { visit("series/" + name, values); });
}

}  // namespace clustersim
