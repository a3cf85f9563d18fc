#pragma once
// Phases close_fund_year (December) and start_fund_year (January).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// December: funds' holdings marked (NAV), funds past their lifetime closed.
void close_fund_year(FundArrays& funds, const DealArrays& deals, const FirmArrays& firms,
                     const ModelParameters& params, int year);

// January: deal counters start again (December's snapshot keeps last year's).
void start_fund_year(FundArrays& funds);

}  // namespace clustersim
