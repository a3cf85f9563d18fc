// Simulation: stepping releases the GIL; agent columns are zero-copy, read-only NumPy views.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>

#include "bindings.hpp"
#include "clustersim/io/checkpoint.hpp"
#include "clustersim/io/results_writer.hpp"
#include "clustersim/model/base_data.hpp"
#include "clustersim/model/sectors.hpp"
#include "clustersim/simulation.hpp"

namespace py = pybind11;

namespace clustersim::bindings {
namespace {

// The view shares ownership of the column's buffer: it stays valid (if stale) after the
// population grows and the column moves.
template <class T>
py::array read_only_view(const Column<T>& column, const py::dtype& dtype) {
  auto* owner = new std::shared_ptr<T[]>(column.storage());
  py::capsule capsule(owner, [](void* p) { delete static_cast<std::shared_ptr<T[]>*>(p); });
  const T* data = owner->get();
  static const T empty{};
  py::array view(dtype, {static_cast<py::ssize_t>(column.size())},
                 {static_cast<py::ssize_t>(sizeof(T))}, data ? data : &empty, capsule);
  py::detail::array_proxy(view.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return view;
}

py::dict park_table(const Simulation& sim) {
  const Parks& parks = sim.parks();
  py::dict out;
  out["id"] = parks.id;
  out["name"] = parks.name;
  out["name_zh"] = parks.name_zh;
  out["district"] = parks.district;
  out["area_km2"] = py::array(py::cast(parks.area_km2));
  out["longitude"] = py::array(py::cast(parks.longitude));
  out["latitude"] = py::array(py::cast(parks.latitude));
  out["base_revenue_cny"] = py::array(py::cast(parks.base_revenue_cny));
  out["floor_space_m2"] = py::array(py::cast(parks.floor_space_m2));
  out["leading_mask"] = py::array(py::cast(parks.leading_mask));
  return out;
}

// A copy of one recorded series: (months, parks, sectors), (months, parks) or
// (months, parks, parks).
py::array series_values(const Simulation& sim, const std::string& name) {
  const SeriesBook& book = sim.series();
  for (const SeriesInfo& info : SeriesBook::catalogue()) {
    if (info.name != name) continue;
    const std::vector<double>& values = book.values(name);
    std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(book.months()),
                                      static_cast<py::ssize_t>(book.parks())};
    if (info.shape == SeriesShape::cell) shape.push_back(sector_count);
    if (info.shape == SeriesShape::park_pair)
      shape.push_back(static_cast<py::ssize_t>(book.parks()));
    if (info.shape == SeriesShape::park_round) shape.push_back(round_count);
    if (info.shape == SeriesShape::cell_stage) {
      shape.push_back(sector_count);
      shape.push_back(stage_count);
    }
    py::array_t<double> out(shape);
    std::copy(values.begin(), values.end(), out.mutable_data());
    return out;
  }
  std::string known;
  for (const SeriesInfo& info : SeriesBook::catalogue()) {
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw py::key_error("no series '" + name + "'; expected one of: " + known);
}

// A copy of one city series: (months, leading industries) or (months,).
py::array city_series_values(const Simulation& sim, const std::string& name) {
  const SeriesBook& book = sim.series();
  for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
    if (info.name != name) continue;
    const std::vector<double>& values = book.city_values(name);
    std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(book.months())};
    if (info.shape == SeriesShape::leading) shape.push_back(leading_count);
    if (info.shape == SeriesShape::lever_group) shape.push_back(lever_group_count);
    py::array_t<double> out(shape);
    std::copy(values.begin(), values.end(), out.mutable_data());
    return out;
  }
  std::string known;
  for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
    known += (known.empty() ? "" : ", ") + info.name;
  }
  throw py::key_error("no city series '" + name + "'; expected one of: " + known);
}

// The targets recorded so far: years, values (years x targets), met flags (years x targets).
py::tuple target_values(const Simulation& sim) {
  const TargetBook& book = sim.targets();
  const auto years = static_cast<py::ssize_t>(book.years().size());
  const auto n = static_cast<py::ssize_t>(target_count);
  py::array_t<double> values({years, n});
  py::array_t<std::uint8_t> met({years, n});
  std::copy(book.values().begin(), book.values().end(), values.mutable_data());
  std::copy(book.met().begin(), book.met().end(), met.mutable_data());
  return py::make_tuple(py::array(py::cast(book.years())), values, met);
}

const char* shape_name(SeriesShape shape) {
  switch (shape) {
    case SeriesShape::cell:
      return "cell";
    case SeriesShape::park:
      return "park";
    case SeriesShape::park_pair:
      return "park_pair";
    case SeriesShape::park_round:
      return "park_round";
    case SeriesShape::cell_stage:
      return "cell_stage";
    case SeriesShape::leading:
      return "leading";
    case SeriesShape::total:
      return "total";
    case SeriesShape::lever_group:
      return "lever_group";
  }
  return "?";
}

const char* measure_name(SeriesMeasure measure) {
  return measure == SeriesMeasure::flow ? "flow" : "stock";
}

template <class Agents>
py::dict agent_columns(const Agents& agents) {
  py::dict out;
  agents.visit_columns([&](const char* name, const auto& column, const char*) {
    using T = typename std::decay_t<decltype(column)>::value_type;
    const bool flag = std::string(name) == "alive";
    out[name] = read_only_view(column, flag ? py::dtype("bool") : py::dtype::of<T>());
  });
  return out;
}

}  // namespace

void register_simulation(py::module_& m) {
  m.attr("base_year") = base_year;
  py::list sectors, stages;
  for (auto name : sector_names) sectors.append(std::string(name));
  for (auto name : stage_names) stages.append(std::string(name));
  m.attr("sector_names") = sectors;
  m.attr("stage_names") = stages;
  py::list park_ids;  // the 22 parks of data/parks.csv, in their order
  for (const ParkRecord& park : default_parks()) park_ids.append(park.id);
  m.attr("park_ids") = park_ids;
  m.def("series_catalogue", [] {
    py::list out;
    for (const SeriesInfo& info : SeriesBook::catalogue()) {
      out.append(py::dict(
          py::arg("name") = info.name, py::arg("unit") = info.unit,
          py::arg("shape") = shape_name(info.shape), py::arg("description") = info.description,
          py::arg("summable") = info.summable, py::arg("measure") = measure_name(info.measure)));
    }
    return out;
  });
  m.def("city_series_catalogue", [] {
    py::list out;
    for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
      out.append(py::dict(py::arg("name") = info.name, py::arg("unit") = info.unit,
                          py::arg("shape") = shape_name(info.shape),
                          py::arg("description") = info.description,
                          py::arg("measure") = measure_name(info.measure)));
    }
    return out;
  });
  m.def("target_catalogue", [] {
    py::list out;
    for (const TargetInfo& info : target_catalogue()) {
      out.append(py::dict(py::arg("id") = std::string(info.id),
                          py::arg("unit") = std::string(info.unit),
                          py::arg("description") = std::string(info.description),
                          py::arg("comparison") = info.strictly_above ? ">" : ">=",
                          py::arg("faithful_scale") = info.faithful_scale));
    }
    return out;
  });
  m.def("lever_catalogue", [] {
    py::list out;
    for (const LeverInfo& info : lever_catalogue()) {
      out.append(py::dict(py::arg("key") = std::string(info.key),
                          py::arg("group") = std::string(info.group),
                          py::arg("summary") = std::string(info.summary)));
    }
    return out;
  });
  {
    py::list names, ids;
    for (const std::string_view group : lever_group_names) names.append(std::string(group));
    for (const std::string_view id : lever_group_ids) ids.append(std::string(id));
    m.attr("lever_group_names") = names;
    m.attr("lever_group_ids") = ids;
  }

  py::class_<Simulation>(m, "Simulation")
      .def(py::init<const Scenario&, std::uint64_t, int>(), py::arg("scenario"), py::arg("seed"),
           py::arg("threads"), py::call_guard<py::gil_scoped_release>())
      .def_static(
          "restore",
          [](const std::string& path, const Scenario& scenario, std::optional<std::uint64_t> seed,
             int threads) {
            py::gil_scoped_release release;
            return restore_checkpoint(path, scenario, seed ? &*seed : nullptr, threads);
          },
          py::arg("path"), py::arg("scenario"), py::arg("seed"), py::arg("threads"))
      .def(
          "checkpoint",
          [](const Simulation& s, const std::string& path, const Attributes& attributes) {
            write_checkpoint(s, path, attributes);
          },
          py::arg("path"), py::arg("attributes"), py::call_guard<py::gil_scoped_release>())
      .def("step", &Simulation::step, py::call_guard<py::gil_scoped_release>())
      .def("run_until", &Simulation::run_until, py::arg("year"),
           py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("steps_done", &Simulation::steps_done)
      .def_property_readonly("total_steps", &Simulation::total_steps)
      .def_property_readonly("finished", &Simulation::finished)
      .def_property_readonly("year", &Simulation::year)
      .def_property_readonly("month", &Simulation::month)
      .def_property_readonly("seed", &Simulation::seed)
      .def_property_readonly("threads", &Simulation::threads)
      .def_property_readonly("scale", [](const Simulation& s) { return s.parameters().scale; })
      .def_property_readonly("horizon_year",
                             [](const Simulation& s) { return s.parameters().horizon_year; })
      .def_property_readonly("next_firm_id", &Simulation::next_firm_id)
      .def_property_readonly("first_new_firm_id", &Simulation::first_new_firm_id)
      .def("firm_columns", [](const Simulation& s) { return agent_columns(s.firms()); })
      .def("talent_columns", [](const Simulation& s) { return agent_columns(s.talent()); })
      .def("fund_columns", [](const Simulation& s) { return agent_columns(s.funds()); })
      .def("deal_columns", [](const Simulation& s) { return agent_columns(s.deals()); })
      .def("incubator_columns", [](const Simulation& s) { return agent_columns(s.incubators()); })
      .def_property_readonly("next_talent_id", &Simulation::next_talent_id)
      .def("park_table", &park_table)
      .def("series_values", &series_values, py::arg("name"))
      .def("city_series_values", &city_series_values, py::arg("name"))
      .def("target_values", &target_values)
      .def("target_thresholds",
           [](const Simulation& s) {
             std::vector<double> out;
             for (std::size_t t = 0; t < target_count; ++t) {
               out.push_back(target_threshold(t, s.parameters()));
             }
             return out;
           })
      .def_property_readonly("target_year",
                             [](const Simulation& s) { return s.parameters().target_year; })
      .def(
          "set_lever",
          [](Simulation& s, const std::string& lever, double intensity, std::int64_t start_year,
             std::int64_t end_year) {
            // The lever keeps its time profile and cost; only its schedule changes.
            s.set_lever(lever, intensity, start_year, end_year);
          },
          py::arg("lever"), py::arg("intensity"), py::arg("start_year"), py::arg("end_year"))
      .def("lever_schedule",
           [](const Simulation& s, const std::string& lever) {
             for (std::size_t l = 0; l < lever_count; ++l) {
               if (lever_catalogue()[l].key == lever) {
                 const LeverSchedule& x = s.parameters().levers[l];
                 return py::make_tuple(x.intensity, x.start_year, x.end_year);
               }
             }
             throw py::key_error("no lever '" + lever + "'");
           })
      .def_property_readonly("lever_changes", &Simulation::lever_changes)
      .def("series_time",
           [](const Simulation& s) {
             return py::make_tuple(py::array(py::cast(s.series().year())),
                                   py::array(py::cast(s.series().month())));
           })
      .def(
          "open_output",
          [](Simulation& s, const std::string& path, const Attributes& attributes) {
            open_output(s, path, attributes);
          },
          py::arg("path"), py::arg("attributes"), py::call_guard<py::gil_scoped_release>())
      .def(
          "close_output",
          [](Simulation& s, const Attributes& attributes) { s.close_output(attributes); },
          py::arg("attributes"), py::call_guard<py::gil_scoped_release>())
      // Waits for the writer thread to write the snapshots already taken.
      .def("abandon_output", &Simulation::abandon_output, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("output_open", &Simulation::output_open);
}

}  // namespace clustersim::bindings
