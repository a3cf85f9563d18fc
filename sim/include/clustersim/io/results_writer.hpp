#pragma once
// Writes one run's results to HDF5 (layout: docs/output-format.md). The file is built under a
// temporary name (<path>.partial, marked complete = 0) and renamed to <path> only by finish(),
// so an interrupted run never leaves a file that looks whole.
//
// Snapshots are copied from the agents when they are taken, then compressed and written by a
// writer thread while the kernel steps on (unless `background` is false: the serial reference).
// HDF5 is called by one thread at a time (every HDF5 call of the kernel holds one lock). An
// error of the writer thread is thrown, as the OutputError it raised, by the next write_*() or
// finish(); the file then stays <path>.partial.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/model/series.hpp"
#include "clustersim/model/targets.hpp"
#include "clustersim/simulation.hpp"

namespace clustersim {

class WriteQueue;

class ResultsWriter final : public RunOutput {
 public:
  // Writes the root attributes and the static description (parks, sectors, stages) at once, so
  // that even a .partial file can be read. Throws OutputError if the temporary file cannot be
  // created or an attribute name is reserved (format, format_version, complete, lever_changes).
  ResultsWriter(std::string path, const Attributes& attributes, const Parks& parks,
                bool background = true);
  // Waits for the snapshots queued so far, then closes the file (still <path>.partial unless
  // finish() succeeded); never throws.
  ~ResultsWriter() override;
  ResultsWriter(const ResultsWriter&) = delete;
  ResultsWriter& operator=(const ResultsWriter&) = delete;

  const std::string& path() const override { return path_; }
  const std::string& partial_path() const { return partial_path_; }

  // The living firms (/snapshots/<label>) or talent (/talent_snapshots/<label>), as one group
  // of columns each; `float32` stores the talent's skill and wage in single precision. The rows
  // are copied at once; the agents may change as soon as the call returns. Throws OutputError
  // if an earlier snapshot could not be written.
  void write_snapshot(const std::string& label, int year, int month, const FirmArrays& firms);
  void write_talent_snapshot(const std::string& label, int year, int month,
                             const TalentArrays& talent, bool float32 = false);
  void write_incubator_snapshot(const std::string& label, int year, int month,
                                const IncubatorArrays& incubators);
  // Every fund and every deal so far (/fund_snapshots, /deal_snapshots).
  void write_vc_snapshot(const std::string& label, int year, int month, const FundArrays& funds,
                         const DealArrays& deals);
  // group is "snapshots/<label>" or "talent_snapshots/<label>".
  bool has_snapshot(const std::string& group) const override { return snapshots_.count(group) > 0; }

  // RunOutput: the snapshots and the finish of a Simulation's run.
  void write_firm_snapshots(const std::string& label, int year, int month,
                            const RunState& state) override;
  void write_talent_snapshot(const std::string& label, int year, int month, const RunState& state,
                             bool float32) override;
  void finish(const RunState& state, const ModelParameters& params,
              const Attributes& attributes) override;

  // Waits for the queued snapshots (throws OutputError if one failed), then writes the time
  // axis, series (park and zone), final attributes; marks complete and renames.
  // lever_changes: one line per lever changed between steps (root attribute of that name).
  void finish(const SeriesBook& series, const TargetBook& targets, const ModelParameters& params,
              const Attributes& attributes, const std::string& lever_changes);

  // Defined in results_writer.cpp; named here for its helpers there.
  struct File;
  struct Snapshot;

 private:
  using Reserve = std::function<void(std::size_t)>;
  // Gathers a snapshot, its bytes reserved in the writer's queue before its rows are copied,
  // and writes it (queued, or at once without a writer thread).
  void take(const std::function<Snapshot(const Reserve&)>& gather_snapshot);
  void check_background();
  void stop_queue();

  std::string path_, partial_path_;
  std::set<std::string> snapshots_;
  std::unique_ptr<File> file_;
  std::unique_ptr<WriteQueue> queue_;  // null when writing at once
};

// Opens <path>.partial for `sim`'s results and attaches it to the run (its base-year snapshots
// are written now if it has not stepped); a serial run (0 threads) writes without a writer thread.
// Throws OutputError if the file cannot be created.
void open_output(Simulation& sim, const std::string& path, const Attributes& attributes);

}  // namespace clustersim
