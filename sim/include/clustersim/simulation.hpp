#pragma once
// Simulation: the state of one run (agents, parks, series, step counter) and its schedule of
// phases. Built from a Scenario (what to simulate), a seed and a thread count (how).

#include <cstdint>
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
#include "clustersim/io/results_writer.hpp"
#include "clustersim/model/base_data.hpp"
#include "clustersim/model/city.hpp"
#include "clustersim/model/policy.hpp"
#include "clustersim/model/series.hpp"
#include "clustersim/model/targets.hpp"
#include "clustersim/phases/step_accounts.hpp"
#include "clustersim/scenario/scenario.hpp"

namespace clustersim {

inline constexpr int base_year = 2022;

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

  std::uint32_t steps_done() const { return steps_done_; }
  std::uint32_t total_steps() const { return total_steps_; }
  bool finished() const { return steps_done_ >= total_steps_; }
  // Calendar of the last completed step; month 0 of the base year before the first step.
  int year() const;
  int month() const;

  const ModelParameters& parameters() const { return params_; }
  std::uint64_t seed() const { return seed_; }
  int threads() const { return executor_.threads(); }
  const FirmArrays& firms() const { return firms_; }
  const TalentArrays& talent() const { return talent_; }
  const IncubatorArrays& incubators() const { return incubators_; }
  const FundArrays& funds() const { return funds_; }
  const DealArrays& deals() const { return deals_; }
  const Parks& parks() const { return parks_; }
  const CellStats& cells() const { return cells_; }
  const SeriesBook& series() const { return series_; }
  const TargetBook& targets() const { return targets_; }
  const City& city() const { return city_; }
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
  void set_lever(const std::string& lever, const LeverSchedule& schedule);

  // Checkpoints (io/checkpoint.hpp): the complete state, written to <path>.partial and renamed.
  void checkpoint(const std::string& path, const Attributes& attributes) const;
  // Resumes a checkpoint under `scenario` (the one it was written with, or a modified one: a
  // fork) with its seed, or `seed` if given. Throws OutputError for a file that is not a
  // checkpoint of this model layout, ScenarioError for a scenario it cannot continue.
  static std::unique_ptr<Simulation> restore(const std::string& path, const Scenario& scenario,
                                             const std::uint64_t* seed, int threads);
  const std::vector<std::string>& lever_changes() const { return lever_changes_; }
  std::int64_t next_firm_id() const { return next_firm_id_; }
  std::int64_t next_talent_id() const { return next_talent_id_; }
  std::int64_t next_deal_id() const { return next_deal_id_; }
  // Each cell's log revenue growth over the last twelve recorded months (0 before a year has
  // passed): what vc_deals reads. Public so that benchmarks can feed the phase its real input.
  std::vector<double> sector_momentum() const;

  // Output: opening writes the base-year snapshot; snapshots follow each interval's December;
  // closing writes the series and renames the file into place.
  void open_output(const std::string& path, const Attributes& attributes);
  void close_output(const Attributes& attributes);
  // Closes the file without finishing it: <path>.partial stays, marked complete = 0.
  void abandon_output() { output_.reset(); }
  bool output_open() const { return output_ != nullptr; }

 private:
  friend class CheckpointIO;
  void update_policy(int year);

  ModelParameters params_;
  std::uint64_t seed_;
  Executor executor_;
  Parks parks_;
  FirmArrays firms_;
  TalentArrays talent_;
  IncubatorArrays incubators_;
  FundArrays funds_;
  DealArrays deals_;
  std::int64_t next_deal_id_ = 0;
  CellStats cells_;
  SeriesBook series_;
  TargetBook targets_;
  City city_;
  PolicyState policy_;
  std::vector<std::string> lever_changes_;
  std::int64_t next_firm_id_ = 0;
  std::int64_t next_talent_id_ = 0;
  std::uint32_t steps_done_ = 0;
  std::uint32_t total_steps_ = 0;
  std::unique_ptr<ResultsWriter> output_;
  // The agent counts that closed the last step open the next (docs/model.md, 3.3.12); empty
  // until a step has run in this object (a restored run counts afresh).
  std::optional<StepAccounts> closing_counts_;
};

}  // namespace clustersim
