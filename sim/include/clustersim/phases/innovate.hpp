#pragma once
// Phase innovate (docs/model.md 3.3.22).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// R&D: each firm spends its sector's R&D intensity; spending buys innovation events
// (productivity jumps) and patent applications (some under the PCT); firms of a park and
// industry with a chain leader catch up with its productivity (supplier upgrading). Patents per
// CNY of R&D rise with the park's employment density (knowledge spillovers).
void innovate(FirmArrays& firms, const Parks& parks, const CellStats& cells, const StepContext& ctx,
              StepFlows& flows);

}  // namespace clustersim
