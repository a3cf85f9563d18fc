#include "bindings.hpp"
#include "clustersim/version.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "clustersim kernel (private; use the clustersim package)";
  m.attr("__version__") = clustersim::version();
  m.attr("git_revision") = clustersim::git_revision();
  clustersim::bindings::register_errors(m);
  clustersim::bindings::register_scenario(m);
  clustersim::bindings::register_simulation(m);
}
