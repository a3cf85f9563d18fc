#pragma once
// Phase vc_exits (docs/model.md 3.3.19, phase 6).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Exits: stakes in exited firms are written off; venture-backed firms are marked to revenue,
// become unicorns (and stop being one), list or are acquired, paying their funds out.
void vc_exits(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const StepContext& ctx,
              StepFlows& flows);

}  // namespace clustersim
