#pragma once
// Phase grow_firms (docs/model.md 3.3.2).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Productivity spillovers, revenue growth, head count, cash, age and stage of every living firm.
// Leading-sector firms keep their talent head count; their revenue is capped by what that
// staff can produce and the gap to the staff they want becomes vacancies (staffing_gap).
// `flows`, when given, receives the month's operating cash flow (for the step's accounts).
void grow_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                const StepContext& ctx, StepFlows* flows = nullptr);

}  // namespace clustersim
