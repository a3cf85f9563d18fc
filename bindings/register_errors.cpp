// Kernel exceptions become the typed Python exceptions of clustersim.errors, with their fields.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "clustersim/errors.hpp"

namespace py = pybind11;

namespace clustersim::bindings {
namespace {

void raise(const char* type_name, const std::exception& error, py::dict fields = py::dict()) {
  py::object type = py::module_::import("clustersim.errors").attr(type_name);
  py::object instance = type(error.what(), **fields);
  PyErr_SetObject(type.ptr(), instance.ptr());
}

}  // namespace

void register_errors(py::module_&) {
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const ScenarioError& e) {
      raise("ScenarioError", e,
            py::dict(py::arg("key") = e.key(), py::arg("value") = e.value(),
                     py::arg("expected") = e.expected()));
    } catch (const DataError& e) {
      raise("DataError", e);
    } catch (const OutputError& e) {
      raise("OutputError", e);
    } catch (const InvariantError& e) {
      raise("InvariantError", e);
    } catch (const Error& e) {
      raise("ClusterSimError", e);
    }
  });
}

}  // namespace clustersim::bindings
