#pragma once
// Phase vc_deals (docs/model.md 3.3.20, phase 7).

#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// Rounds: firms seek money; funds screen their signals, existing investors follow on from
// reserves, a lead and co-investors fill the round, guidance funds crowd in private money.
// `momentum` is each cell's log revenue growth over the last twelve months (0 before a year
// has passed); funds favour firms of growing parks and industries. A fund takes part less often
// the farther the firm's park is from its home park (`parks`' distances; none: no decline).
void vc_deals(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const Parks& parks,
              const StepContext& ctx, int year, const std::vector<double>& momentum,
              std::int64_t& next_deal_id, StepFlows& flows);

}  // namespace clustersim
