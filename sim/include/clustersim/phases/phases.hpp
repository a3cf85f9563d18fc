#pragma once
// The phases of a monthly step. Each is a function over the agent arrays; per-agent work runs
// on the Executor and draws from streams keyed by (seed, agent id, step, purpose).

#include <cstdint>
#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

struct StepContext {
  const ModelParameters& params;
  const Executor& executor;
  std::uint64_t seed;
  std::uint32_t step;  // 1 for January of the base year
};

inline constexpr double months_per_year = 12.0;

// Stage from size and age; titles awarded by later mechanisms (little giant and up) are kept.
Stage classify_stage(double revenue_cny, std::int32_t age_months, Stage current,
                     const ModelParameters& params);

// Congestion of a park: 0 below the onset occupancy, 1 at full occupancy, more beyond.
double congestion(double occupancy, const ModelParameters& params);
// Fraction of potential entries that a park's floor space admits: 1 - congestion, in [0, 1].
double space_factor(double occupancy, const ModelParameters& params);

// Per park x sector totals of living firms (full-scale equivalents) and park occupancy.
void measure_cells(const FirmArrays& firms, const Parks& parks, const ModelParameters& params,
                   const Executor& executor, CellStats& cells);

// Land supply: each park's floor space grows at the scenario's rate.
void supply_floor_space(Parks& parks, const StepContext& ctx);

// Productivity spillovers, revenue growth, head count, cash, age and stage of every living firm.
void grow_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                const StepContext& ctx);

// Exit by age- and size-dependent hazard, or when cash runs out. Adds exits (agents) per cell.
void exit_firms(FirmArrays& firms, const StepContext& ctx, std::vector<double>& exits_per_cell);

// New firms per park x sector; ids continue from next_firm_id. Adds entries (agents) per cell.
void enter_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                 const StepContext& ctx, std::int64_t& next_firm_id,
                 std::vector<double>& entries_per_cell);

// Throws InvariantError naming the first firm (by index order) whose state is not finite or
// not positive where it must be, with the phase and step.
void check_firm_invariants(const FirmArrays& firms, const Executor& executor, const char* phase,
                           std::uint32_t step);

}  // namespace clustersim
