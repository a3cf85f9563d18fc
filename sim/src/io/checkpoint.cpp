// Checkpoints: the complete state of a Simulation in one HDF5 file (format
// "clustersim-checkpoint"), so that a restored run continues bit for bit. Static data (the
// parks' description and distances) is rebuilt from the base data; everything that changes is
// stored: every agent column (dead rows of the current year included), the parks' dynamic
// state, the cell statistics the next step reads, the city, the series and targets so far, the
// id counters and the step counter. Random streams are counter-based: the step counter is their
// position.

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

#include "clustersim/errors.hpp"
#include "clustersim/simulation.hpp"
#include "hdf5_handle.hpp"

namespace clustersim {
namespace {

constexpr const char* format_name = "clustersim-checkpoint";
constexpr std::int64_t format_version = 1;

using hdf5::Handle;
using hdf5::native_type;

template <class T>
std::string type_code() {
  return std::string(std::is_floating_point_v<T> ? "f"
                     : std::is_signed_v<T>       ? "i"
                                                 : "u") +
         std::to_string(sizeof(T));
}

}  // namespace

// Reads and writes a Simulation's private state (a friend of Simulation).
class CheckpointIO {
 public:
  // Every stored array, by name, as (name, type code, read, write) through one visitor, so that
  // writing, reading and the layout signature can never disagree.
  template <class Visit>
  static void visit_state(Simulation& sim, Visit&& visit) {
    auto agents = [&](const std::string& group, auto& arrays) {
      arrays.visit_columns(
          [&](const char* name, auto& column, const char*) { visit(group + "/" + name, column); });
    };
    agents("firms", sim.firms_);
    agents("talent", sim.talent_);
    agents("incubators", sim.incubators_);
    agents("funds", sim.funds_);
    agents("deals", sim.deals_);
    Parks& parks = sim.parks_;
    visit("parks/floor_space_m2", parks.floor_space_m2);
    visit("parks/in_zone", parks.in_zone);
    visit("parks/standing", parks.standing);
    visit("parks/strikes", parks.strikes);
    visit("parks/score", parks.score);
    visit("parks/focus_mask", parks.focus_mask);
    CellStats& c = sim.cells_;
    for (auto& [name, values] : std::initializer_list<std::pair<const char*, std::vector<double>*>>{
             {"firms", &c.firms},
             {"employees", &c.employees},
             {"revenue_cny", &c.revenue_cny},
             {"log_productivity_mean", &c.log_productivity_mean},
             {"used_floor_space_m2", &c.used_floor_space_m2},
             {"occupancy", &c.occupancy},
             {"talent", &c.talent},
             {"seeking", &c.seeking},
             {"vacancies", &c.vacancies},
             {"incubated", &c.incubated},
             {"unicorns", &c.unicorns},
             {"stage_counts", &c.stage_counts},
             {"rd_spending_cny", &c.rd_spending_cny},
             {"chain_leader_log_productivity", &c.chain_leader_log_productivity},
             {"incubators", &c.incubators},
             {"high_quality_incubators", &c.high_quality_incubators}}) {
      visit(std::string("cells/") + name, *values);
    }
    visit("series/year", sim.series_.mutable_year());
    visit("series/month", sim.series_.mutable_month());
    for (const SeriesInfo& info : SeriesBook::catalogue()) {
      visit("series/park/" + info.name, sim.series_.mutable_values(info.name));
    }
    for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
      visit("series/city/" + info.name, sim.series_.mutable_city_values(info.name));
    }
  }

  static std::string layout(Simulation& sim) {
    std::ostringstream out;
    visit_state(sim, [&](const std::string& name, auto& values) {
      using T = typename std::decay_t<decltype(values)>::value_type;
      out << name << ':' << type_code<T>() << ';';
    });
    out << "targets:" << target_count << ";levers:" << lever_count << ';';
    return out.str();
  }

  static void write(const Simulation& const_sim, const std::string& path,
                    const Attributes& attributes);
  static void read(Simulation& sim, const std::string& path);
};

namespace {

struct Writer {
  hid_t file;
  std::string path;

  void fail(const std::string& what) const {
    throw OutputError(path + ": cannot write " + what +
                      " (HDF5 error; disk full or not writable?)");
  }
  hid_t group(const std::string& name) {
    if (H5Lexists(file, name.c_str(), H5P_DEFAULT) > 0)
      return H5Gopen2(file, name.c_str(), H5P_DEFAULT);
    Handle links(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(links.get(), 1);
    const hid_t g = H5Gcreate2(file, name.c_str(), links.get(), H5P_DEFAULT, H5P_DEFAULT);
    if (g < 0) fail("group " + name);
    return g;
  }
  template <class T>
  void dataset(const std::string& name, const T* data, std::size_t n) {
    const hsize_t dims[1] = {n};
    Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    Handle links(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
    H5Pset_create_intermediate_group(links.get(), 1);
    Handle set(H5Dcreate2(file, name.c_str(), native_type<T>(), space.get(), links.get(),
                          H5P_DEFAULT, H5P_DEFAULT),
               H5Dclose);
    if (!set.valid()) fail("dataset " + name);
    if (n > 0 && H5Dwrite(set.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
      fail("dataset " + name);
    }
  }
  void string_attribute(const std::string& name, const std::string& value) {
    Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attribute(
        H5Acreate2(file, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    const char* text = value.c_str();
    if (!attribute.valid() || H5Awrite(attribute.get(), type.get(), &text) < 0) {
      fail("attribute " + name);
    }
  }
  template <class T>
  void number_attribute(const std::string& name, T value) {
    Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    Handle attribute(
        H5Acreate2(file, name.c_str(), native_type<T>(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
        H5Aclose);
    if (!attribute.valid() || H5Awrite(attribute.get(), native_type<T>(), &value) < 0) {
      fail("attribute " + name);
    }
  }
};

struct Reader {
  hid_t file;
  std::string path;

  [[noreturn]] void fail(const std::string& what) const { throw OutputError(path + ": " + what); }
  bool has_attribute(const std::string& name) const { return H5Aexists(file, name.c_str()) > 0; }
  std::string string_attribute(const std::string& name) const {
    if (!has_attribute(name)) fail("has no attribute '" + name + "'; not a clustersim checkpoint?");
    Handle attribute(H5Aopen(file, name.c_str(), H5P_DEFAULT), H5Aclose);
    Handle type(H5Aget_type(attribute.get()), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) fail("attribute '" + name + "' is not text");
    Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memory.get(), H5T_VARIABLE);
    H5Tset_cset(memory.get(), H5T_CSET_UTF8);
    if (!H5Tis_variable_str(type.get()))
      fail("attribute '" + name + "' is not variable-length text");
    char* text = nullptr;
    if (H5Aread(attribute.get(), memory.get(), &text) < 0) fail("cannot read attribute " + name);
    std::string value = text ? text : "";
    Handle space(H5Aget_space(attribute.get()), H5Sclose);
    H5Dvlen_reclaim(memory.get(), space.get(), H5P_DEFAULT, &text);
    return value;
  }
  template <class T>
  T number_attribute(const std::string& name) const {
    if (!has_attribute(name)) fail("has no attribute '" + name + "'; not a clustersim checkpoint?");
    Handle attribute(H5Aopen(file, name.c_str(), H5P_DEFAULT), H5Aclose);
    T value{};
    if (H5Aread(attribute.get(), native_type<T>(), &value) < 0) {
      fail("cannot read attribute " + name);
    }
    return value;
  }
  template <class Container>
  void dataset(const std::string& name, Container& values) const {
    using T = typename Container::value_type;
    if (H5Lexists(file, name.c_str(), H5P_DEFAULT) <= 0) {
      fail("has no dataset '" + name + "' (truncated, or written by another model layout)");
    }
    Handle set(H5Dopen2(file, name.c_str(), H5P_DEFAULT), H5Dclose);
    Handle space(H5Dget_space(set.get()), H5Sclose);
    if (!set.valid() || !space.valid() || H5Sget_simple_extent_ndims(space.get()) != 1) {
      fail("dataset '" + name + "' is not a one-dimensional array");
    }
    hsize_t n = 0;
    H5Sget_simple_extent_dims(space.get(), &n, nullptr);
    values.resize(static_cast<std::size_t>(n));
    if (n > 0 &&
        H5Dread(set.get(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
      fail("cannot read dataset '" + name + "' (truncated file?)");
    }
  }
};

}  // namespace

void CheckpointIO::write(const Simulation& const_sim, const std::string& path,
                         const Attributes& attributes) {
  // The visitor takes mutable references; writing reads only.
  Simulation& sim = const_cast<Simulation&>(const_sim);
  const std::string partial = path + ".partial";
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  const hid_t id = H5Fcreate(partial.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) {
    throw OutputError(partial +
                      ": cannot create the checkpoint (directory missing or not "
                      "writable?)");
  }
  Writer w{id, partial};
  try {
    w.string_attribute("format", format_name);
    w.number_attribute<std::int64_t>("format_version", format_version);
    w.string_attribute("layout", layout(sim));
    w.number_attribute<std::uint64_t>("seed", sim.seed_);
    w.number_attribute<std::uint32_t>("steps_done", sim.steps_done_);
    w.number_attribute<std::int64_t>("next_firm_id", sim.next_firm_id_);
    w.number_attribute<std::int64_t>("next_talent_id", sim.next_talent_id_);
    w.number_attribute<std::int64_t>("next_deal_id", sim.next_deal_id_);
    w.number_attribute<double>("scale", sim.params_.scale);
    std::string changes;
    for (const std::string& change : sim.lever_changes_) changes += change + "\n";
    w.string_attribute("lever_changes", changes);
    for (const auto& [key, value] : attributes) w.string_attribute(key, value);
    visit_state(sim, [&](const std::string& name, auto& values) {
      w.dataset(name, values.data(), values.size());
    });
    const City& city = sim.city_;
    w.dataset("city/outside_revenue_cny", city.outside_revenue_cny.data(), leading_count);
    w.dataset("city/outside_talent", city.outside_talent.data(), leading_count);
    w.dataset("city/moved_in_revenue_cny", city.moved_in_revenue_cny.data(), leading_count);
    const double scalars[2] = {city.firms_moved_in, city.outside_vc_cny};
    w.dataset("city/scalars", scalars, 2);
    w.dataset("targets/year", sim.targets_.years().data(), sim.targets_.years().size());
    w.dataset("targets/values", sim.targets_.values().data(), sim.targets_.values().size());
    w.dataset("targets/met", sim.targets_.met().data(), sim.targets_.met().size());
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
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    throw OutputError(path + ": cannot move the checkpoint into place: " + std::strerror(errno));
  }
}

void CheckpointIO::read(Simulation& sim, const std::string& path) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    throw OutputError(path + ": not an HDF5 file (or missing); expected a clustersim checkpoint");
  }
  Handle file(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
  if (!file.valid()) throw OutputError(path + ": cannot open the checkpoint (truncated?)");
  Reader r{file.get(), path};
  if (!r.has_attribute("format") || r.string_attribute("format") != format_name) {
    throw OutputError(path + ": not a clustersim checkpoint (no format = \"" +
                      std::string(format_name) + "\")");
  }
  const auto version = r.number_attribute<std::int64_t>("format_version");
  if (version != format_version) {
    throw OutputError(path + ": checkpoint format version " + std::to_string(version) +
                      "; this clustersim reads version " + std::to_string(format_version));
  }
  if (r.string_attribute("layout") != layout(sim)) {
    throw OutputError(path +
                      ": written by a clustersim with another model layout (agent "
                      "columns, series or levers differ); restore it with the version that wrote "
                      "it (its git_revision attribute)");
  }
  const double scale = r.number_attribute<double>("scale");
  if (scale != sim.params_.scale) {
    throw ScenarioError(
        "scale", format_value(sim.params_.scale),
        "the checkpoint's scale (" + format_value(scale) + "): a restored run keeps its agents");
  }
  const auto steps = r.number_attribute<std::uint32_t>("steps_done");
  if (steps > sim.total_steps_) {
    throw ScenarioError("horizon_year", format_value(sim.params_.horizon_year),
                        "a horizon at or after the checkpoint's year (" +
                            std::to_string(base_year + static_cast<int>((steps - 1) / 12)) + ")");
  }
  visit_state(sim, [&](const std::string& name, auto& values) { r.dataset(name, values); });
  // The agent arrays' columns must agree in length.
  auto same_length = [&](const char* group, auto& arrays) {
    std::size_t n = arrays.size();
    bool ok = true;
    arrays.visit_columns([&](const char*, auto& column, const char*) { ok &= column.size() == n; });
    if (!ok) throw OutputError(path + ": the " + group + " columns differ in length (corrupt)");
  };
  same_length("firms", sim.firms_);
  same_length("talent", sim.talent_);
  same_length("incubators", sim.incubators_);
  same_length("funds", sim.funds_);
  same_length("deals", sim.deals_);
  std::vector<double> v;
  r.dataset("city/outside_revenue_cny", v);
  if (v.size() != leading_count) throw OutputError(path + ": city arrays corrupt");
  std::copy(v.begin(), v.end(), sim.city_.outside_revenue_cny.begin());
  r.dataset("city/outside_talent", v);
  std::copy(v.begin(), v.begin() + leading_count, sim.city_.outside_talent.begin());
  r.dataset("city/moved_in_revenue_cny", v);
  std::copy(v.begin(), v.begin() + leading_count, sim.city_.moved_in_revenue_cny.begin());
  r.dataset("city/scalars", v);
  sim.city_.firms_moved_in = v.at(0);
  sim.city_.outside_vc_cny = v.at(1);
  std::vector<int> years;
  std::vector<double> values;
  std::vector<std::uint8_t> met;
  r.dataset("targets/year", years);
  r.dataset("targets/values", values);
  r.dataset("targets/met", met);
  sim.targets_.restore(std::move(years), std::move(values), std::move(met));
  sim.seed_ = r.number_attribute<std::uint64_t>("seed");
  sim.steps_done_ = steps;
  sim.next_firm_id_ = r.number_attribute<std::int64_t>("next_firm_id");
  sim.next_talent_id_ = r.number_attribute<std::int64_t>("next_talent_id");
  sim.next_deal_id_ = r.number_attribute<std::int64_t>("next_deal_id");
  sim.lever_changes_.clear();
  std::istringstream lines(r.string_attribute("lever_changes"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) sim.lever_changes_.push_back(line);
  }
}

void Simulation::checkpoint(const std::string& path, const Attributes& attributes) const {
  hdf5::LibraryLock lock;
  CheckpointIO::write(*this, path, attributes);
}

std::unique_ptr<Simulation> Simulation::restore(const std::string& path, const Scenario& scenario,
                                                const std::uint64_t* seed, int threads) {
  // The base population is rebuilt for the static data (parks, distances), then every state
  // that changes is replaced by the checkpoint's.
  auto sim = std::make_unique<Simulation>(scenario, 0, threads);
  {
    hdf5::LibraryLock lock;
    CheckpointIO::read(*sim, path);
  }
  if (seed != nullptr) sim->seed_ = *seed;
  return sim;
}

}  // namespace clustersim
