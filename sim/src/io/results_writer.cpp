#include "clustersim/io/results_writer.hpp"

#include <hdf5.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include "chunk_filter.hpp"
#include "clustersim/errors.hpp"
#include "clustersim/model/sectors.hpp"
#include "hdf5_file.hpp"
#include "hdf5_handle.hpp"
#include "partial_file.hpp"
#include "write_queue.hpp"

namespace clustersim {
namespace {

using hdf5::Handle;
using hdf5::native_type;

// Chunks of about 256 KiB along the first dimension (STYLE.md: 0.1-1 MiB).
constexpr std::size_t chunk_bytes = 256 * 1024;

// Snapshots copied but not yet written, at most, counting the copy being made: the kernel
// waits rather than hold more. A full-scale December (firms, funds, deals and 1.3 M talent) is
// about 61 MB, so one fits while the year before is still being written only in part
// (benchmarks/README.md, "Speed work": the bound against peak memory and waiting).
constexpr std::size_t max_pending_bytes = 80u << 20;

// Threads besides the writer's that filter a snapshot's chunks: one per further core, at most
// three (at the writer's priority: idle unless the kernel waits for them).
std::size_t filter_helpers() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores > 1 ? std::min<std::size_t>(cores - 1, 3) : 0;
}

// The HDF5 path of an open object ("/talent_snapshots/2026"), for error messages.
std::string object_name(hid_t object) {
  char name[256] = "";
  const ssize_t n = H5Iget_name(object, name, sizeof name);
  return n > 0 ? std::string(name) : std::string("?");
}

bool is_reserved(const std::string& key) {
  return key == "format" || key == "format_version" || key == "complete" || key == "lever_changes";
}

}  // namespace

// One snapshot's living rows, copied from the agents on the kernel's thread (no HDF5 call), so
// that it can be compressed and written while the agents change.
struct ResultsWriter::Snapshot {
  std::string group;
  int year = 0, month = 0;
  std::vector<std::function<void(File&, hid_t)>> columns;  // writes one dataset into the group
};

namespace {
void serial_chunks(std::size_t count, const std::function<void(std::size_t)>& task) {
  for (std::size_t k = 0; k < count; ++k) task(k);
}
}  // namespace

struct ResultsWriter::File : hdf5::FileWriter {
  // Runs task(k) for the k chunks of a dataset: one after the other, or on the writer's
  // threads (WriteQueue::parallel_for). Chunks are filtered independently, so the file holds
  // the same bytes either way.
  std::function<void(std::size_t, const std::function<void(std::size_t)>&)> for_chunks =
      serial_chunks;

  File() = default;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File() {
    hdf5::LibraryLock lock;
    if (id >= 0) H5Fclose(id);  // an unfinished file stays as .partial, marked complete = 0
  }                             // then the claim on the partial is released

  std::optional<hdf5::PartialFile> claim;

  // A dataset written whole: chunked, shuffled and deflated when it holds anything. Level 1:
  // level 4 made files 4 % smaller and a full-scale run 3 s slower (docs/output-format.md).
  template <class T>
  void dataset(hid_t parent, const std::string& name, const std::vector<hsize_t>& dims,
               const T* data, const std::string& unit, const std::string& description = "") {
    Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
    Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    hsize_t count = 1;
    for (hsize_t d : dims) count *= d;
    std::vector<hsize_t> chunk = dims;
    if (count > 0) {
      const hsize_t row = count / dims[0] * sizeof(T);
      chunk[0] = std::clamp<hsize_t>(chunk_bytes / std::max<hsize_t>(row, 1), 1, dims[0]);
      H5Pset_chunk(properties.get(), static_cast<int>(chunk.size()), chunk.data());
      H5Pset_shuffle(properties.get());
      H5Pset_deflate(properties.get(), 1);
    }
    Handle set(H5Dcreate2(parent, name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT,
                          properties.get(), H5P_DEFAULT),
               H5Dclose);
    const std::string what = "dataset " + object_name(parent) + "/" + name;
    if (!set.valid()) fail(what);
    if (count > 0) write_chunks(set.get(), dims, chunk, data, what);
    if (!unit.empty()) string_attribute(set.get(), "unit", unit);
    if (!description.empty()) string_attribute(set.get(), "description", description);
    // The chunks still in HDF5's cache are written here: a full disk can fail the close.
    check(H5Dclose(set.release()), what);
  }

  // The chunks of a dataset created by dataset(), filtered here (chunk_filter.hpp) and written
  // as they are stored. Sorted integers (identifiers) get zlib's full match search, the rest
  // its run-length matches only.
  template <class T>
  void write_chunks(hid_t set, const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk,
                    const T* data, const std::string& what) {
    const std::size_t row_elements = [&] {
      std::size_t n = 1;
      for (std::size_t d = 1; d < dims.size(); ++d) n *= static_cast<std::size_t>(dims[d]);
      return n;
    }();
    const auto rows = static_cast<std::size_t>(dims[0]);
    const auto chunk_rows = static_cast<std::size_t>(chunk[0]);
    DeflateStrategy strategy = DeflateStrategy::runs_only;
    if constexpr (std::is_integral_v<T>) {
      if (std::is_sorted(data, data + rows * row_elements)) strategy = DeflateStrategy::full_search;
    }
    const std::size_t chunks = (rows + chunk_rows - 1) / chunk_rows;
    std::vector<std::vector<unsigned char>> stored(chunks);
    try {
      for_chunks(chunks, [&](std::size_t k) {
        const std::size_t first = k * chunk_rows;
        const std::size_t n = std::min(chunk_rows, rows - first) * row_elements;
        filter_chunk(data + first * row_elements, n, sizeof(T), chunk_rows * row_elements, strategy,
                     stored[k]);
      });
    } catch (const std::exception& e) {
      throw OutputError(path + ": cannot write " + what + ": " + e.what());
    }
    std::vector<hsize_t> offset(dims.size(), 0);
    for (std::size_t k = 0; k < chunks; ++k) {
      offset[0] = k * chunk_rows;
      check(H5Dwrite_chunk(set, H5P_DEFAULT, 0, offset.data(), stored[k].size(), stored[k].data()),
            what);
    }
  }

  // Caller-supplied string attributes; the format's own attributes cannot be overwritten.
  void attributes(hid_t object, const Attributes& values) {
    for (const auto& [key, value] : values) {
      if (is_reserved(key)) {
        throw OutputError(path + ": attribute '" + key + "' is reserved by the file format");
      }
      string_attribute(object, key, value);
    }
  }

  // A gathered snapshot: its group, then one dataset per column, then a flush (checked, so that
  // a full disk is reported with the snapshot that hit it).
  void write(Snapshot& snapshot) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // HDF5's error stack is per thread
    Handle group(this->group(snapshot.group), H5Gclose);
    number_attribute<std::int64_t>(group.get(), "year", snapshot.year);
    number_attribute<std::int64_t>(group.get(), "month", snapshot.month);
    for (auto& column : snapshot.columns) {
      column(*this, group.get());
      column = nullptr;  // its buffer is no longer needed
    }
    if (H5Fflush(id, H5F_SCOPE_GLOBAL) < 0) fail("snapshot " + snapshot.group);
  }

  void strings(hid_t parent, const std::string& name, const std::vector<std::string>& values) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    const hsize_t n = values.size();
    Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    Handle set(H5Dcreate2(parent, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                          H5P_DEFAULT),
               H5Dclose);
    if (!set.valid()) fail("dataset " + name);
    std::vector<const char*> pointers;
    for (const std::string& v : values) pointers.push_back(v.c_str());
    if (n > 0) {
      check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()),
            "dataset " + name);
    }
  }
};

namespace {

// The living agents, one column each (every row is alive, so `alive` is not stored).
// `reserve(bytes)` is called with the size of the copies before they are made.
template <class Agents>
ResultsWriter::Snapshot gather(const std::function<void(std::size_t)>& reserve, std::string group,
                               int year, int month, const Agents& agents,
                               std::initializer_list<std::string_view> skip,
                               std::initializer_list<std::string_view> single_precision = {}) {
  ResultsWriter::Snapshot snapshot{std::move(group), year, month, {}};
  std::vector<std::uint32_t> living;  // 2^32 agents would need hundreds of GB
  living.reserve(agents.size());
  for (std::size_t i = 0; i < agents.size(); ++i) {
    if (agents.alive[i]) living.push_back(static_cast<std::uint32_t>(i));
  }
  auto stored = [&](const char* name, const auto& column) -> std::size_t {
    for (std::string_view skipped : skip) {
      if (skipped == name) return 0;
    }
    using T = typename std::decay_t<decltype(column)>::value_type;
    const bool narrow =
        std::is_same_v<T, double> &&
        std::find(single_precision.begin(), single_precision.end(), name) != single_precision.end();
    return narrow ? sizeof(float) : sizeof(T);
  };
  std::size_t bytes = 0;
  agents.visit_columns([&](const char* name, const auto& column, const char*) {
    bytes += living.size() * stored(name, column);
  });
  reserve(bytes);
  agents.visit_columns([&](const char* name, const auto& column, const char* unit) {
    if (stored(name, column) == 0) return;
    using T = typename std::decay_t<decltype(column)>::value_type;
    auto copy = [&]<class Stored>() {
      std::vector<Stored> values(living.size());
      for (std::size_t k = 0; k < living.size(); ++k) {
        values[k] = static_cast<Stored>(column[living[k]]);
      }
      snapshot.columns.push_back(
          [name, unit, values = std::move(values)](ResultsWriter::File& file, hid_t parent) {
            file.dataset<Stored>(parent, name, {static_cast<hsize_t>(values.size())}, values.data(),
                                 unit);
          });
    };
    if (stored(name, column) != sizeof(T)) {
      copy.template operator()<float>();
    } else {
      copy.template operator()<T>();
    }
  });
  return snapshot;
}

}  // namespace

ResultsWriter::ResultsWriter(std::string path, const Attributes& attributes, const Parks& parks,
                             bool background)
    : path_(std::move(path)), partial_path_(path_ + ".partial"), file_(std::make_unique<File>()) {
  for (const auto& entry : attributes) {
    if (is_reserved(entry.first)) {
      throw OutputError(path_ + ": attribute '" + entry.first + "' is reserved by the file format");
    }
  }
  std::optional<hdf5::LibraryLock> lock(std::in_place);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors are reported as exceptions instead
  file_->path = partial_path_;
  file_->claim.emplace(path_, "output file");
  file_->id =
      H5Fcreate(file_->claim->create_name().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (file_->id < 0) {
    throw OutputError(path_ + ": cannot create the output file (" + partial_path_ +
                      "): directory missing or not writable");
  }
  file_->claim->check_same_file(file_->id);
  const hid_t root = file_->id;
  file_->string_attribute(root, "format", "clustersim-results");
  file_->number_attribute<std::int64_t>(root, "format_version", 2);
  file_->number_attribute<std::int64_t>(root, "complete", 0);
  file_->attributes(root, attributes);
  {
    Handle group(file_->group("parks"), H5Gclose);
    file_->strings(group.get(), "id", parks.id);
    file_->strings(group.get(), "name", parks.name);
    file_->strings(group.get(), "name_zh", parks.name_zh);
    file_->strings(group.get(), "district", parks.district);
    const hsize_t n = parks.size();
    file_->dataset<double>(group.get(), "area_km2", {n}, parks.area_km2.data(), "km2");
    file_->dataset<double>(group.get(), "longitude", {n}, parks.longitude.data(), "degrees");
    file_->dataset<double>(group.get(), "latitude", {n}, parks.latitude.data(), "degrees");
    file_->dataset<double>(group.get(), "base_revenue_cny", {n}, parks.base_revenue_cny.data(),
                           "CNY/year");
    file_->dataset<std::uint8_t>(group.get(), "leading_mask", {n}, parks.leading_mask.data(), "",
                                 "bit s set: the park names sector s as a leading industry");
  }
  {
    Handle group(file_->group("sectors"), H5Gclose);
    std::vector<std::string> names(sector_names.begin(), sector_names.end());
    file_->strings(group.get(), "name", names);
    std::vector<std::string> stages(stage_names.begin(), stage_names.end());
    Handle stage_group(file_->group("stages"), H5Gclose);
    file_->strings(stage_group.get(), "name", stages);
  }
  H5Fflush(root, H5F_SCOPE_GLOBAL);
  lock.reset();
  if (background) {
    const std::string partial = partial_path_;
    queue_ = std::make_unique<WriteQueue>(
        max_pending_bytes,
        [partial](std::exception_ptr error) -> std::exception_ptr {
          try {
            std::rethrow_exception(error);
          } catch (const OutputError&) {
            return error;
          } catch (const std::exception& e) {
            return std::make_exception_ptr(
                OutputError(partial + ": cannot write a snapshot: " + e.what()));
          } catch (...) {
            return std::make_exception_ptr(
                OutputError(partial + ": cannot write a snapshot (unknown error)"));
          }
        },
        filter_helpers());
    file_->for_chunks = [queue = queue_.get()](std::size_t count,
                                               const std::function<void(std::size_t)>& task) {
      queue->parallel_for(count, task);
    };
  }
}

// The writer thread finishes the snapshots already queued before the file is closed.
ResultsWriter::~ResultsWriter() { stop_queue(); }

// The file's chunk loop stops using the queue's threads before the queue goes: what is written
// after (the series, on the caller's thread) filters its chunks one after the other.
void ResultsWriter::stop_queue() {
  queue_.reset();
  file_->for_chunks = serial_chunks;
}

void ResultsWriter::take(const std::function<Snapshot(const Reserve&)>& gather_snapshot) {
  check_background();
  if (!queue_) {
    Snapshot snapshot = gather_snapshot([](std::size_t) {});
    hdf5::LibraryLock lock;
    file_->write(snapshot);
    return;
  }
  // The bytes are reserved before the rows are copied, so the copies count against the bound.
  std::size_t reserved = 0;
  std::shared_ptr<Snapshot> job;
  try {
    job = std::make_shared<Snapshot>(gather_snapshot([&](std::size_t bytes) {
      queue_->reserve(bytes);
      reserved = bytes;
    }));
  } catch (...) {
    if (reserved > 0) queue_->release(reserved);
    throw;
  }
  queue_->submit_reserved(
      [file = file_.get(), job] {
        hdf5::LibraryLock lock;
        file->write(*job);
      },
      reserved);
}

void ResultsWriter::check_background() {
  if (queue_) queue_->rethrow();
}

void ResultsWriter::write_snapshot(const std::string& label, int year, int month,
                                   const FirmArrays& firms) {
  take([&](const Reserve& reserve) {
    return gather(reserve, "snapshots/" + label, year, month, firms, {"alive"});
  });
  snapshots_.insert("snapshots/" + label);
}

void ResultsWriter::write_talent_snapshot(const std::string& label, int year, int month,
                                          const TalentArrays& talent, bool float32) {
  // Positions in the arrays and this month's intentions are working state, not results.
  const std::initializer_list<std::string_view> narrow = {"skill", "wage_cny"};
  take([&](const Reserve& reserve) {
    return gather(reserve, "talent_snapshots/" + label, year, month, talent,
                  {"alive", "employer_index", "intent", "target_park"},
                  float32 ? narrow : std::initializer_list<std::string_view>{});
  });
  snapshots_.insert("talent_snapshots/" + label);
}

void ResultsWriter::write_incubator_snapshot(const std::string& label, int year, int month,
                                             const IncubatorArrays& incubators) {
  take([&](const Reserve& reserve) {
    return gather(reserve, "incubator_snapshots/" + label, year, month, incubators, {"alive"});
  });
  snapshots_.insert("incubator_snapshots/" + label);
}

void ResultsWriter::write_vc_snapshot(const std::string& label, int year, int month,
                                      const FundArrays& funds, const DealArrays& deals) {
  take([&](const Reserve& reserve) {
    return gather(reserve, "fund_snapshots/" + label, year, month, funds, {"alive"});
  });
  take([&](const Reserve& reserve) {
    return gather(reserve, "deal_snapshots/" + label, year, month, deals, {"alive", "firm_index"});
  });
  snapshots_.insert("fund_snapshots/" + label);
}

void ResultsWriter::finish(const SeriesBook& series, const TargetBook& targets,
                           const ModelParameters& params, const Attributes& attributes,
                           const std::string& lever_changes) {
  if (queue_) {
    queue_->drain();  // the snapshots first, as when they were written at once
    stop_queue();
  }
  hdf5::LibraryLock lock;
  const hid_t root = file_->id;
  const hsize_t months = series.months();
  const hsize_t n_parks = series.parks();
  {
    Handle group(file_->group("time"), H5Gclose);
    std::vector<std::int32_t> year(series.year().begin(), series.year().end());
    std::vector<std::int32_t> month(series.month().begin(), series.month().end());
    file_->dataset<std::int32_t>(group.get(), "year", {months}, year.data(), "year");
    file_->dataset<std::int32_t>(group.get(), "month", {months}, month.data(), "month (1-12)",
                                 "each series row is the state at the end of this month");
  }
  {
    Handle park_group(file_->group("series/park"), H5Gclose);
    Handle zone_group(file_->group("series/zone"), H5Gclose);
    const std::vector<double>& in_zone = series.values("in_zone");
    for (const SeriesInfo& info : SeriesBook::catalogue()) {
      const std::vector<double>& values = series.values(info.name);
      const hsize_t row = series.row_size(info);
      // The zone: parks in the zone that month (origins, for pairs) summed in park order.
      const hsize_t width = info.shape == SeriesShape::cell         ? sector_count
                            : info.shape == SeriesShape::park_pair  ? n_parks
                            : info.shape == SeriesShape::park_round ? round_count
                            : info.shape == SeriesShape::cell_stage ? sector_count * stage_count
                                                                    : 1;
      std::vector<double> zone(months * width, 0.0);
      for (hsize_t t = 0; t < months; ++t) {
        for (hsize_t p = 0; p < n_parks; ++p) {
          if (in_zone[t * n_parks + p] == 0.0) continue;
          for (hsize_t s = 0; s < width; ++s)
            zone[t * width + s] += values[t * row + p * width + s];
        }
      }
      std::vector<hsize_t> park_dims = {months, n_parks};
      std::vector<hsize_t> zone_dims = {months};
      if (info.shape == SeriesShape::cell_stage) {
        park_dims.insert(park_dims.end(), {sector_count, stage_count});
        zone_dims.insert(zone_dims.end(), {sector_count, stage_count});
      } else if (width > 1) {
        park_dims.push_back(width);
        zone_dims.push_back(width);
      }
      file_->dataset<double>(park_group.get(), info.name, park_dims, values.data(), info.unit,
                             info.description);
      if (!info.summable) {
        continue;
      } else if (info.shape == SeriesShape::park_pair) {
        // Zone level: all moves between parks in the month.
        std::vector<double> total(months, 0.0);
        for (hsize_t t = 0; t < months; ++t) {
          for (hsize_t s = 0; s < width; ++s) total[t] += zone[t * width + s];
        }
        file_->dataset<double>(zone_group.get(), info.name, {months}, total.data(), info.unit,
                               info.description);
      } else if (width > 1) {
        file_->dataset<double>(zone_group.get(), info.name, zone_dims, zone.data(), info.unit,
                               info.description);
      } else {
        file_->dataset<double>(zone_group.get(), info.name, {months}, zone.data(), info.unit,
                               info.description);
      }
    }
  }  // every group is closed before the file: a close with open objects is deferred by HDF5
  {
    Handle city_group(file_->group("series/city"), H5Gclose);
    for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
      const std::vector<double>& values = series.city_values(info.name);
      std::vector<hsize_t> dims = {months};
      if (info.shape == SeriesShape::leading) dims.push_back(leading_count);
      if (info.shape == SeriesShape::lever_group) dims.push_back(lever_group_count);
      file_->dataset<double>(city_group.get(), info.name, dims, values.data(), info.unit,
                             info.description);
    }
  }
  {
    // Targets: a row per December; for each target its value and whether it is met.
    Handle group(file_->group("targets"), H5Gclose);
    const hsize_t years = targets.years().size();
    std::vector<std::int32_t> year(targets.years().begin(), targets.years().end());
    file_->dataset<std::int32_t>(group.get(), "year", {years}, year.data(), "year");
    file_->number_attribute<std::int64_t>(group.get(), "target_year", params.target_year);
    for (std::size_t t = 0; t < target_count; ++t) {
      const TargetInfo& info = target_catalogue()[t];
      std::vector<double> value(years);
      std::vector<std::uint8_t> met(years);
      for (hsize_t y = 0; y < years; ++y) {
        value[y] = targets.values()[y * target_count + t];
        met[y] = targets.met()[y * target_count + t];
      }
      const std::string id(info.id);
      file_->dataset<double>(group.get(), id, {years}, value.data(), std::string(info.unit),
                             std::string(info.description));
      file_->dataset<std::uint8_t>(group.get(), id + "_met", {years}, met.data(), "flag",
                                   "1 when the target is met that year");
      Handle dataset(H5Dopen2(group.get(), id.c_str(), H5P_DEFAULT), H5Dclose);
      file_->number_attribute<double>(dataset.get(), "threshold", target_threshold(t, params));
      file_->string_attribute(dataset.get(), "comparison", info.strictly_above ? ">" : ">=");
    }
  }
  file_->attributes(root, attributes);
  file_->string_attribute(root, "lever_changes", lever_changes);
  file_->number_attribute<std::int64_t>(root, "complete", 1);
  // Flush and check before closing: a full disk (or a file-size limit) fails here, and the
  // unfinished file stays <path>.partial instead of being renamed into place.
  // A failed H5Fclose leaves an identifier that crashes HDF5 when touched again: one close.
  const bool flushed =
      H5Fget_obj_count(file_->id, H5F_OBJ_ALL) == 1 && H5Fflush(file_->id, H5F_SCOPE_GLOBAL) >= 0;
  const bool closed = H5Fclose(file_->id) >= 0;
  file_->id = -1;
  if (!flushed || !closed) file_->fail("the file's last blocks");
  file_->claim->commit();
}

void ResultsWriter::write_firm_snapshots(const std::string& label, int year, int month,
                                         const RunState& state) {
  write_snapshot(label, year, month, state.firms);
  write_incubator_snapshot(label, year, month, state.incubators);
  write_vc_snapshot(label, year, month, state.funds, state.deals);
}

void ResultsWriter::write_talent_snapshot(const std::string& label, int year, int month,
                                          const RunState& state, bool float32) {
  write_talent_snapshot(label, year, month, state.talent, float32);
}

void ResultsWriter::finish(const RunState& state, const ModelParameters& params,
                           const Attributes& attributes) {
  std::string changes;
  for (const std::string& change : state.lever_changes) changes += change + "\n";
  finish(state.series, state.targets, params, attributes, changes);
}

void open_output(Simulation& sim, const std::string& path, const Attributes& attributes) {
  sim.attach_output(
      std::make_unique<ResultsWriter>(path, attributes, sim.parks(), sim.threads() != 0));
}

}  // namespace clustersim
