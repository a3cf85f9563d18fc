// Checkpoints: the complete state of a Simulation in one HDF5 file (format
// "clustersim-checkpoint"), so that a restored run continues bit for bit. Static data (the
// parks' description and distances) is rebuilt from the base data; everything that changes is
// stored: every agent column (dead rows of the current year included), the parks' dynamic
// state, the cell statistics the next step reads, the city, the series and targets so far, the
// id counters and the step counter. Random streams are counter-based: the step counter is their
// position.

#include "clustersim/io/checkpoint.hpp"

#include <hdf5.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "checkpoint_rules.hpp"
#include "clustersim/errors.hpp"
#include "hdf5_file.hpp"
#include "hdf5_handle.hpp"
#include "partial_file.hpp"

namespace clustersim {
namespace {

constexpr const char* format_name = "clustersim-checkpoint";
// 3: content_crc32 added.
constexpr std::int64_t format_version = 3;

template <class T>
std::string type_code() {
  return std::string(std::is_floating_point_v<T> ? "f"
                     : std::is_signed_v<T>       ? "i"
                                                 : "u") +
         std::to_string(sizeof(T));
}

// The names and element types of every stored array: a checkpoint is read only by a model of
// the same layout.
std::string layout(const RunState& state) {
  std::ostringstream out;
  visit_state_arrays(state, [&](const std::string& name, const auto& values) {
    using T = typename std::decay_t<decltype(values)>::value_type;
    out << name << ':' << type_code<T>() << ';';
  });
  out << "targets:" << target_count << ";levers:" << lever_count << ';';
  return out.str();
}

void write(const Simulation& sim, const std::string& path, const Attributes& attributes) {
  const RunState& state = sim.state();
  const std::string partial = path + ".partial";
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  hdf5::PartialFile claim(path, "checkpoint");
  const hid_t id = H5Fcreate(claim.create_name().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) {
    throw OutputError(partial +
                      ": cannot create the checkpoint (directory missing or not "
                      "writable?)");
  }
  const hdf5::FileWriter w{id, partial};
  try {
    claim.check_same_file(id);
    // The caller's attributes first: the format's own, written after, cannot be overwritten.
    for (const auto& [key, value] : attributes) w.string_attribute(id, key, value);
    w.string_attribute(id, "format", format_name);
    w.number_attribute<std::int64_t>(id, "format_version", format_version);
    w.string_attribute(id, "layout", layout(state));
    w.number_attribute<std::uint64_t>(id, "seed", state.seed);
    w.number_attribute<std::uint32_t>(id, "steps_done", state.steps_done);
    w.number_attribute<std::int64_t>(id, "next_firm_id", state.next_firm_id);
    w.number_attribute<std::int64_t>(id, "first_new_firm_id", state.first_new_firm_id);
    w.number_attribute<std::int64_t>(id, "next_talent_id", state.next_talent_id);
    w.number_attribute<std::int64_t>(id, "next_deal_id", state.next_deal_id);
    w.number_attribute<double>(id, "scale", sim.parameters().scale);
    w.number_attribute<std::uint32_t>(
        id, "content_crc32", checkpoint_rules::state_checksum(state, sim.parameters().scale));
    std::string changes;
    for (const std::string& change : state.lever_changes) changes += change + "\n";
    w.string_attribute(id, "lever_changes", changes);
    visit_state_arrays(state, [&](const std::string& name, const auto& values) {
      w.plain_dataset(name, values.data(), values.size());
    });
    const City& city = state.city;
    w.plain_dataset("city/outside_revenue_cny", city.outside_revenue_cny.data(), leading_count);
    w.plain_dataset("city/outside_talent", city.outside_talent.data(), leading_count);
    w.plain_dataset("city/moved_in_revenue_cny", city.moved_in_revenue_cny.data(), leading_count);
    const double scalars[2] = {city.firms_moved_in, city.outside_vc_cny};
    w.plain_dataset("city/scalars", scalars, 2);
    w.plain_dataset("targets/year", state.targets.years().data(), state.targets.years().size());
    w.plain_dataset("targets/values", state.targets.values().data(), state.targets.values().size());
    w.plain_dataset("targets/met", state.targets.met().data(), state.targets.met().size());
  } catch (...) {
    H5Fclose(id);
    std::remove(partial.c_str());
    throw;
  }
  // Flushed and checked before the rename: a full disk fails here, not later.
  // One close: a failed H5Fclose leaves an identifier that crashes HDF5 when touched again.
  const bool flushed = H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0;
  if (!(H5Fclose(id) >= 0 && flushed)) {
    std::remove(partial.c_str());
    throw OutputError(partial + ": cannot write the checkpoint's last blocks (disk full?)");
  }
  claim.commit();
}

// Reads the checkpoint into `sim` (built from the scenario to resume under).
void read(Simulation& sim, const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw OutputError(path + ": not an HDF5 file (or missing); expected a clustersim checkpoint");
  }
  hdf5::Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw OutputError(path + ": cannot open the checkpoint (truncated?)");
  const hdf5::FileReader r{file.get(), path, "clustersim checkpoint"};
  if (!r.has_attribute("format") || r.string_attribute("format") != format_name) {
    throw OutputError(path + ": not a clustersim checkpoint (no format = \"" +
                      std::string(format_name) + "\")");
  }
  const auto version = r.number_attribute<std::int64_t>("format_version");
  if (version != format_version) {
    throw OutputError(path + ": checkpoint format version " + std::to_string(version) +
                      "; this clustersim reads version " + std::to_string(format_version));
  }
  if (r.string_attribute("layout") != layout(sim.state())) {
    throw OutputError(path +
                      ": written by a clustersim with another model layout (agent "
                      "columns, series or levers differ); restore it with the version that wrote "
                      "it (its git_revision attribute)");
  }
  const ModelParameters& params = sim.parameters();
  const double scale = r.number_attribute<double>("scale");
  if (scale != params.scale) {
    throw ScenarioError(
        "scale", format_value(params.scale),
        "the checkpoint's scale (" + format_value(scale) + "): a restored run keeps its agents");
  }
  const auto steps = r.number_attribute<std::uint32_t>("steps_done");
  if (steps > sim.total_steps()) {
    throw ScenarioError("horizon_year", format_value(params.horizon_year),
                        "a horizon at or after the checkpoint's year (" +
                            std::to_string(base_year + static_cast<int>((steps - 1) / 12)) + ")");
  }
  sim.load_state([&](RunState& state) {
    visit_state_arrays(state,
                       [&](const std::string& name, auto& values) { r.dataset(name, values); });
    // The agent arrays' columns must agree in length.
    auto same_length = [&](const char* group, auto& arrays) {
      std::size_t n = arrays.size();
      bool ok = true;
      arrays.visit_columns(
          [&](const char*, auto& column, const char*) { ok &= column.size() == n; });
      if (!ok) throw OutputError(path + ": the " + group + " columns differ in length (corrupt)");
    };
    same_length("firms", state.firms);
    same_length("talent", state.talent);
    same_length("incubators", state.incubators);
    same_length("funds", state.funds);
    same_length("deals", state.deals);
    std::vector<double> v;
    r.dataset("city/outside_revenue_cny", v);
    if (v.size() != leading_count) throw OutputError(path + ": city arrays corrupt");
    std::copy(v.begin(), v.end(), state.city.outside_revenue_cny.begin());
    r.dataset("city/outside_talent", v);
    std::copy(v.begin(), v.begin() + leading_count, state.city.outside_talent.begin());
    r.dataset("city/moved_in_revenue_cny", v);
    std::copy(v.begin(), v.begin() + leading_count, state.city.moved_in_revenue_cny.begin());
    r.dataset("city/scalars", v);
    state.city.firms_moved_in = v.at(0);
    state.city.outside_vc_cny = v.at(1);
    std::vector<int> years;
    std::vector<double> values;
    std::vector<std::uint8_t> met;
    r.dataset("targets/year", years);
    r.dataset("targets/values", values);
    r.dataset("targets/met", met);
    state.targets.restore(std::move(years), std::move(values), std::move(met));
    state.seed = r.number_attribute<std::uint64_t>("seed");
    state.steps_done = steps;
    state.next_firm_id = r.number_attribute<std::int64_t>("next_firm_id");
    state.first_new_firm_id = r.number_attribute<std::int64_t>("first_new_firm_id");
    state.next_talent_id = r.number_attribute<std::int64_t>("next_talent_id");
    state.next_deal_id = r.number_attribute<std::int64_t>("next_deal_id");
    state.lever_changes.clear();
    std::istringstream lines(r.string_attribute("lever_changes"));
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) state.lever_changes.push_back(line);
    }
    // Every value within its rule first (the message names the array and element), then the
    // checksum, which catches changes that stay within the rules (a flipped bit of a revenue).
    checkpoint_rules::check_state(state, path);
    const auto stored = r.number_attribute<std::uint32_t>("content_crc32");
    const std::uint32_t computed = checkpoint_rules::state_checksum(state, scale);
    if (stored != computed) {
      throw OutputError(path + ": its contents do not match their checksum (content_crc32 " +
                        std::to_string(stored) + ", computed " + std::to_string(computed) +
                        "): the checkpoint is damaged or was altered; restore an intact copy "
                        "or run again from the scenario");
    }
  });
}

}  // namespace

void write_checkpoint(const Simulation& sim, const std::string& path,
                      const Attributes& attributes) {
  hdf5::LibraryLock lock;
  write(sim, path, attributes);
}

std::unique_ptr<Simulation> restore_checkpoint(const std::string& path, const Scenario& scenario,
                                               const std::uint64_t* seed, int threads) {
  // The base population is rebuilt for the static data (parks, distances), then every state
  // that changes is replaced by the checkpoint's.
  auto sim = std::make_unique<Simulation>(scenario, 0, threads);
  {
    hdf5::LibraryLock lock;
    read(*sim, path);
  }
  if (seed != nullptr) sim->load_state([&](RunState& state) { state.seed = *seed; });
  return sim;
}

}  // namespace clustersim
