#pragma once
// Plain reference versions of the phases that carry speed tricks (bucketing without branches,
// prefetching, cached fund lists, batched first Philox blocks, bounds that skip an exp). Each is
// the rule as docs/model.md states it, serial, one agent at a time, with no cache: slow and
// easy to check by reading. Compiled into the tests only; test_reference_equivalence.cpp runs
// both versions on warmed and randomised states and compares every column bit for bit.

#include <cstdint>
#include <vector>

#include "clustersim/phases/phases.hpp"

namespace clustersim::reference {

// docs/model.md 3.3.4: talent's month.
void talent_life(TalentArrays& talent, const FirmArrays& firms, const Parks& parks,
                 const CellStats& cells, const StepContext& ctx, StepFlows& flows);

// docs/model.md 3.3.8: the labour market of each park x sector.
void match_labour(TalentArrays& talent, const FirmArrays& firms, const StepContext& ctx,
                  StepFlows& flows);

// docs/model.md 3.3.20: venture rounds (seek, screen, syndicate, book).
void vc_deals(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const Parks& parks,
              const StepContext& ctx, int year, const std::vector<double>& momentum,
              std::int64_t& next_deal_id, StepFlows& flows);

}  // namespace clustersim::reference
