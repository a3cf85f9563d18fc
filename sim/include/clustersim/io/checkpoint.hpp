#pragma once
// Checkpoints: the complete state of a run (RunState) in one HDF5 file, format
// "clustersim-checkpoint", so that a restored run continues bit for bit.

#include <cstdint>
#include <memory>
#include <string>

#include "clustersim/scenario/scenario.hpp"
#include "clustersim/simulation.hpp"

namespace clustersim {

// Writes <path>.partial and renames it into place. Throws OutputError if it cannot.
void write_checkpoint(const Simulation& sim, const std::string& path, const Attributes& attributes);

// Resumes a checkpoint under `scenario` (the one it was written with, or a modified one: a fork)
// with its seed, or `seed` if given, on `threads`. Throws OutputError for a file that is not a
// checkpoint of this model layout, ScenarioError for a scenario it cannot continue.
std::unique_ptr<Simulation> restore_checkpoint(const std::string& path, const Scenario& scenario,
                                               const std::uint64_t* seed, int threads);

}  // namespace clustersim
