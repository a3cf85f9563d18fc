#pragma once
// What every phase of a step is given: the parameters, the executor, the seed, the step and
// the levers' levels.

#include <cstdint>

#include "clustersim/core/parallel.hpp"
#include "clustersim/model/flows.hpp"
#include "clustersim/model/policy.hpp"
#include "clustersim/model/rules.hpp"
#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

struct StepContext {
  const ModelParameters& params;
  const Executor& executor;
  std::uint64_t seed;
  std::uint32_t step;  // 1 for January of the base year
  const PolicyState& policy = PolicyState::neutral();
};

}  // namespace clustersim
