#pragma once
// One registration function per area, assembled in module.cpp. Every call into the kernel that
// can take time releases the GIL; nothing inside a TBB task touches Python.

#include <pybind11/pybind11.h>

namespace clustersim::bindings {

void register_errors(pybind11::module_& m);
void register_scenario(pybind11::module_& m);
void register_simulation(pybind11::module_& m);

}  // namespace clustersim::bindings
