#pragma once
// Initialisation (docs/model.md 2): the base-year population: parks with their revenue and floor
// space, and the firm agents drawn to match the parks' and sectors' totals.

#include <cstdint>
#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/model/base_data.hpp"
#include "clustersim/model/city.hpp"
#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

// Base-year revenue of each park x sector cell (full scale): park totals from the park table,
// sector totals from the city's leading industries and the zone's share; published cell figures
// are kept and the other cells fitted by iterative proportional fitting.
// Index: cell_index(park, sector).
std::vector<double> base_cell_revenue(const Parks& parks, const std::vector<CellFigure>& figures,
                                      const ModelParameters& params);
// The same from the base data's park table (what `clustersim.base_data()` reports).
std::vector<double> base_cell_revenue(const BaseData& data, const ModelParameters& params);

// Agents per cell: round(firms_total * scale) split over the parks in proportion to their firm
// counts, then within each park over its sectors in proportion to revenue (largest remainders
// both times), with at least one agent in every cell that has revenue.
std::vector<std::int64_t> base_cell_agents(const std::vector<double>& cell_revenue,
                                           const std::vector<double>& park_firms,
                                           const ModelParameters& params);

// The ratio of January's run rate to the year's mean run rate when revenue grows at `growth` a
// year (continuous rate): 12 / sum over m = 1..12 of exp(growth * m / 12), each month being
// recorded after its step. Base-year figures are
// annual totals; the agents start at the run rate whose months add up to them.
double january_run_rate_factor(double growth);

// A sample's firm sizes in one cell (docs/model.md 2, "Revenue"), largest first: `full_sizes`
// are the revenues of the cell's firms in the full zone; the `agents` agents split the size
// ranks into equal strata, largest first, and each carries `scale` times its stratum's revenue
// (a rank shared by two strata is split between them). With as many agents as firms at scale
// 1, the sizes themselves, sorted.
std::vector<double> stratum_sizes(std::vector<double> full_sizes, std::size_t agents, double scale);

struct Population {
  Parks parks;
  FirmArrays firms;
  TalentArrays talent;
  IncubatorArrays incubators;
  std::int64_t next_firm_id = 0;
  std::int64_t next_talent_id = 0;
};

Population generate_population(const BaseData& data, const ModelParameters& params,
                               std::uint64_t seed, const Executor& executor);

// The base year's unicorns and potential unicorns: the largest firms no older than
// vc.unicorn_max_age_years get a last round that values them above the unicorn threshold
// (population.unicorns x scale of them) or between the two list thresholds (the next
// population.potential_unicorns x scale).
void seed_unicorns(FirmArrays& firms, const ModelParameters& params, std::uint64_t seed);

// The rest of the city, sized from the zone's base-year revenue and its share of the city.
City initial_city(const CellStats& cells, const ModelParameters& params);

}  // namespace clustersim
