#pragma once
// Phase raise_funds (docs/model.md 3.3.18, phase 0).

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// New funds of each kind: in the base year the initial population (vintages spread over the
// investment period), afterwards each January's Poisson number of new funds. A new guidance or
// private fund sits where the last twelve months' new deals were made (`deals`); with none, where
// the firms are. A corporate fund sits in its parent's park.
void raise_funds(FundArrays& funds, const FirmArrays& firms, const DealArrays& deals,
                 const ModelParameters& params, std::uint64_t seed, int year, std::uint32_t step,
                 bool base_year_funds, const PolicyState& policy = PolicyState::neutral());

}  // namespace clustersim
