#pragma once
// Phase measure_cells (docs/model.md 3.3.10).

#include <cstdint>
#include <limits>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Per park x sector totals of living firms (full-scale equivalents) and park occupancy. Firms
// with an id of at least first_new_firm_id were founded during the run (none by default).
void measure_cells(const FirmArrays& firms, const Parks& parks, const ModelParameters& params,
                   const Executor& executor, CellStats& cells,
                   const PolicyState& policy = PolicyState::neutral(),
                   std::int64_t first_new_firm_id = std::numeric_limits<std::int64_t>::max());

}  // namespace clustersim
