#include "clustersim/phases/enter_firms.hpp"

#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <numeric>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void enter_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                 const StepContext& ctx, std::int64_t& next_firm_id,
                 std::vector<double>& entries_per_cell) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_cells = parks.size() * sector_count;

  // How many firms each cell founds this month: Poisson around a rate proportional to the
  // cell's incumbents (plus a seed rate for a park's named leading industries), throttled by space.
  std::vector<std::int64_t> count(n_cells, 0);
  for (std::size_t c = 0; c < n_cells; ++c) {
    const std::size_t park = c / sector_count;
    const int sector = static_cast<int>(c % sector_count);
    const double incumbents = cells.firms[c] * p.scale;  // agents
    const double seed_rate = is_leading(sector) && parks.names_leading(park, sector)
                                 ? p.entry_seed_per_month * p.scale
                                 : 0.0;
    // Standard factories held ready let entrants in where the park is crowded.
    const double occupancy =
        cells.occupancy[park] *
        (1.0 - p.standard_factories_reserve * ctx.policy.at(Lever::standard_factories, park));
    const double expected =
        (p.entry_rate / months_per_year * incumbents + seed_rate) * space_factor(occupancy, p);
    if (expected <= 0.0) continue;
    Stream stream(ctx.seed, c, ctx.step, Purpose::entry_count);
    boost::random::poisson_distribution<std::int64_t, double> founded(expected);
    count[c] = founded(stream);
  }

  // Ids in cell order from a prefix sum, so they do not depend on the thread count.
  std::vector<std::int64_t> offset(n_cells + 1, 0);
  std::partial_sum(count.begin(), count.end(), offset.begin() + 1);
  const std::size_t first = firms.size();
  const auto added = static_cast<std::size_t>(offset.back());
  if (added == 0) return;
  firms.resize(first + added);
  for (std::size_t c = 0; c < n_cells; ++c) {
    for (auto k = offset[c]; k < offset[c + 1]; ++k) {
      const std::size_t i = first + static_cast<std::size_t>(k);
      firms.id[i] = next_firm_id + k;
      firms.park[i] = static_cast<std::int16_t>(c / sector_count);
      firms.sector[i] = static_cast<std::uint8_t>(c % sector_count);
    }
    entries_per_cell[c] += static_cast<double>(count[c]);
  }
  next_firm_id += static_cast<std::int64_t>(added);

  ctx.executor.for_each(added,
                        [&](std::size_t k) { initialise_new_firm(firms, first + k, cells, ctx); });
}

std::size_t append_new_firm(FirmArrays& firms, std::int64_t id, std::int16_t park,
                            std::uint8_t sector, const CellStats& cells, const StepContext& ctx) {
  const std::size_t i = firms.size();
  firms.resize(i + 1);
  firms.id[i] = id;
  firms.park[i] = park;
  firms.sector[i] = sector;
  initialise_new_firm(firms, i, cells, ctx);
  return i;
}

void initialise_new_firm(FirmArrays& firms, std::size_t i, const CellStats& cells,
                         const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  const std::size_t c = cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
  Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step,
                Purpose::entry_attributes);
  boost::random::normal_distribution<double> normal(0.0, 1.0);
  firms.alive[i] = 1;
  firms.age_months[i] = 0;
  firms.staffing_gap[i] = 0;
  firms.incubator[i] = -1;
  firms.incubated_months[i] = 0;
  firms.revenue_cny[i] = p.entry_median_revenue_cny * std::exp(p.entry_revenue_sd * normal(stream));
  // Founders bring the know-how of their park and sector.
  firms.productivity[i] =
      std::exp(cells.log_productivity_mean[c] + p.entry_productivity_sd * normal(stream));
  firms.cash_cny[i] = p.entry_startup_capital_cny * std::exp(p.entry_capital_sd * normal(stream));
  firms.employees[i] =
      initial_head_count(firms.revenue_cny[i], firms.productivity[i], firms.sector[i], p, ctx.step);
  firms.stage[i] =
      static_cast<std::uint8_t>(classify_stage(firms.revenue_cny[i], 0, Stage::startup, p));
}

}  // namespace clustersim
