#pragma once
// Phase enter_firms (docs/model.md 3.3.5) and the making of a new firm, which other phases
// that found firms share.

#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// New firms per park x sector; ids continue from next_firm_id. Adds entries (agents) per cell.
void enter_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                 const StepContext& ctx, std::int64_t& next_firm_id,
                 std::vector<double>& entries_per_cell);

// Fills the attributes of a new firm at index i whose id, park and sector are set (revenue,
// productivity, cash, head count, stage; staffing gap 0).
void initialise_new_firm(FirmArrays& firms, std::size_t i, const CellStats& cells,
                         const StepContext& ctx);

// Appends one new firm with this id, park and sector, initialised as above; returns its index.
std::size_t append_new_firm(FirmArrays& firms, std::int64_t id, std::int16_t park,
                            std::uint8_t sector, const CellStats& cells, const StepContext& ctx);

}  // namespace clustersim
