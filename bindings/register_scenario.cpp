// Scenario values cross the boundary as plain Python values; the kernel's parameter
// declarations validate them.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>

#include "bindings.hpp"
#include "clustersim/errors.hpp"
#include "clustersim/init/population.hpp"
#include "clustersim/model/base_data.hpp"
#include "clustersim/model/sectors.hpp"
#include "clustersim/scenario/scenario.hpp"

namespace py = pybind11;

namespace clustersim::bindings {
namespace {

std::string python_repr(const py::handle& value) { return py::repr(value).cast<std::string>(); }

bool is_number(const py::handle& v) {
  return (py::isinstance<py::int_>(v) || py::isinstance<py::float_>(v)) &&
         !py::isinstance<py::bool_>(v);
}

ParamValue to_param_value(const std::string& key, const py::handle& value) {
  const ParamSpec* spec = find_parameter(key);
  if (spec == nullptr) {
    throw ScenarioError(key, python_repr(value), "a known parameter (unknown key)");
  }
  auto fail = [&]() -> ParamValue {
    throw ScenarioError(key, python_repr(value), describe_expected(*spec));
  };
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>();
  if (py::isinstance<py::int_>(value)) {
    try {
      return value.cast<std::int64_t>();
    } catch (const py::cast_error&) {
      return fail();  // beyond 64 bits
    }
  }
  if (py::isinstance<py::float_>(value)) return value.cast<double>();
  if (py::isinstance<py::str>(value)) return value.cast<std::string>();
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value)) {
    std::vector<double> list;
    for (const py::handle item : value) {
      if (!is_number(item)) return fail();
      try {
        list.push_back(item.cast<double>());
      } catch (const py::cast_error&) {
        return fail();
      }
    }
    return list;
  }
  return fail();
}

py::object to_python(const ParamValue& value) {
  return std::visit([](const auto& v) -> py::object { return py::cast(v); }, value);
}

}  // namespace

void register_scenario(py::module_& m) {
  py::class_<Scenario>(m, "Scenario")
      .def(py::init<>())
      .def(
          "set",
          [](Scenario& s, const std::string& key, const py::handle& value) {
            s.set(key, to_param_value(key, value));
          },
          py::arg("key"), py::arg("value"))
      .def(
          "get", [](const Scenario& s, const std::string& key) { return to_python(s.get(key)); },
          py::arg("key"))
      .def("is_set", &Scenario::is_set, py::arg("key"))
      .def("unset", [](Scenario& s, const std::string& key) { return s.unset(key); })
      .def("values",
           [](const Scenario& s) {
             py::dict out;
             for (const auto& [key, value] : s.values()) out[py::str(key)] = to_python(value);
             return out;
           })
      // Runs the checks that involve several keys; raises ScenarioError.
      .def("check", [](const Scenario& s) { s.parameters(); });

  m.def("parameters", [] {
    py::list out;
    for (const ParamSpec& spec : parameter_specs()) {
      py::dict d;
      d["key"] = spec.key;
      d["type"] = type_name(spec.type);
      d["default"] = to_python(spec.default_value);
      const bool numeric = spec.type == ParamType::real || spec.type == ParamType::integer ||
                           spec.type == ParamType::real_list;
      d["min"] = numeric ? py::object(py::float_(spec.min)) : py::object(py::none());
      d["max"] = numeric ? py::object(py::float_(spec.max)) : py::object(py::none());
      d["unit"] = spec.unit;
      d["description"] = spec.description;
      d["source"] = spec.source;
      d["plausible"] = std::isnan(spec.plausible_low)
                           ? py::object(py::none())
                           : py::object(py::make_tuple(spec.plausible_low, spec.plausible_high));
      d["prior"] =
          spec.prior.kind == PriorKind::none
              ? py::object(py::none())
              : py::object(py::dict(py::arg("distribution") = prior_name(spec.prior.kind),
                                    py::arg("a") = spec.prior.a, py::arg("b") = spec.prior.b));
      d["expected"] = describe_expected(spec);
      out.append(d);
    }
    return out;
  });

  // The base data as the model uses it under a scenario: each park's figures and the fitted
  // revenue of each park x sector cell (section 3.2 of docs/model.md).
  m.def("base_data", [](const Scenario& scenario) {
    const ModelParameters params = scenario.parameters();
    const BaseData& data = default_base_data();
    const std::vector<double> cells = base_cell_revenue(data, params);
    py::list parks;
    for (std::size_t p = 0; p < data.parks.size(); ++p) {
      const ParkRecord& r = data.parks[p];
      py::dict d;
      d["id"] = r.id;
      d["name"] = r.name;
      d["district"] = r.district;
      py::list leading;
      for (int s = 0; s < sector_count; ++s) {
        if (r.leading_mask & (1u << s)) leading.append(std::string(sector_names[s]));
      }
      d["leading_industries"] = leading;
      d["area_km2"] = r.area_km2;
      d["revenue_cny"] = r.base_revenue_cny;
      d["firms"] = r.firms;
      d["high_tech_firms"] = r.high_tech_firms;
      d["employees"] = r.employees;
      py::dict by_sector;
      for (int s = 0; s < sector_count; ++s) {
        by_sector[py::str(std::string(sector_names[s]))] = cells[cell_index(p, s)];
      }
      d["sector_revenue_cny"] = by_sector;
      parks.append(d);
    }
    py::list figures;
    for (const ParkFigure& f : data.figures) {
      figures.append(py::make_tuple(data.parks[f.park].id, f.quantity, f.value, f.low, f.high,
                                    f.year, std::string(1, f.certainty), f.method, f.source));
    }
    py::dict out;
    out["parks"] = parks;
    out["figures"] = figures;
    return out;
  });
}

}  // namespace clustersim::bindings
