#include "clustersim/phases/measure_cells.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

// Sums over living firms, per cell (stage_counts: cell x stage), in agents; one per block.
struct CellTotals {
  std::vector<double> firms, employees, revenue, log_productivity, vacancies;
  std::vector<double> incubated, incubated_employees, unicorns;
  std::vector<double> stage_counts, rd, chain_leader;  // chain_leader: max log productivity
  std::vector<double> new_firm_revenue;                // firms founded during the run

  explicit CellTotals(std::size_t n_cells)
      : firms(n_cells),
        employees(n_cells),
        revenue(n_cells),
        log_productivity(n_cells),
        vacancies(n_cells),
        incubated(n_cells),
        incubated_employees(n_cells),
        unicorns(n_cells),
        stage_counts(n_cells * stage_count),
        rd(n_cells),
        chain_leader(n_cells, -std::numeric_limits<double>::infinity()),
        new_firm_revenue(n_cells) {}

  // Blocks are combined in block order, so the sums do not depend on the thread count.
  void add(const CellTotals& part) {
    for (std::size_t c = 0; c < firms.size(); ++c) {
      firms[c] += part.firms[c];
      employees[c] += part.employees[c];
      revenue[c] += part.revenue[c];
      log_productivity[c] += part.log_productivity[c];
      vacancies[c] += part.vacancies[c];
      incubated[c] += part.incubated[c];
      unicorns[c] += part.unicorns[c];
      rd[c] += part.rd[c];
      new_firm_revenue[c] += part.new_firm_revenue[c];
      chain_leader[c] = std::max(chain_leader[c], part.chain_leader[c]);
      for (int s = 0; s < stage_count; ++s) {
        stage_counts[c * stage_count + s] += part.stage_counts[c * stage_count + s];
      }
      incubated_employees[c] += part.incubated_employees[c];
    }
  }
};

// The cells' firm statistics in full-scale equivalents (agents stand for 1/scale firms each),
// and each park's used floor space and occupancy. Talent and incubator statistics are kept:
// measure_talent and measure_incubators fill them.
void store_cells(const CellTotals& total, const Parks& parks, const ModelParameters& params,
                 CellStats& cells) {
  const std::size_t n_cells = parks.size() * sector_count;
  const double weight = 1.0 / params.scale;
  CellStats kept = std::move(cells);
  cells.resize(parks.size());
  if (kept.talent.size() == n_cells) {
    cells.talent = std::move(kept.talent);
    cells.seeking = std::move(kept.seeking);
    cells.incubators = std::move(kept.incubators);
    cells.high_quality_incubators = std::move(kept.high_quality_incubators);
  }
  for (std::size_t c = 0; c < n_cells; ++c) {
    cells.vacancies[c] = total.vacancies[c] * weight;
    cells.incubated[c] = total.incubated[c] * weight;
    cells.unicorns[c] = total.unicorns[c] * weight;
    cells.rd_spending_cny[c] = total.rd[c] * weight;
    cells.new_firm_revenue_cny[c] = total.new_firm_revenue[c] * weight;
    cells.chain_leader_log_productivity[c] = total.chain_leader[c];
    for (int s = 0; s < stage_count; ++s) {
      cells.stage_counts[c * stage_count + s] = total.stage_counts[c * stage_count + s] * weight;
    }
    cells.firms[c] = total.firms[c] * weight;
    cells.employees[c] = total.employees[c] * weight;
    cells.revenue_cny[c] = total.revenue[c] * weight;
    cells.log_productivity_mean[c] =
        total.employees[c] > 0 ? total.log_productivity[c] / total.employees[c] : 0.0;
  }
  for (std::size_t p = 0; p < parks.size(); ++p) {
    double employees = 0.0;
    // Incubated firms work in their incubator's space, not the park's.
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(p, s);
      employees += (total.employees[c] - total.incubated_employees[c]) * weight;
    }
    cells.used_floor_space_m2[p] = employees * params.floor_space_per_employee_m2;
    cells.occupancy[p] =
        parks.floor_space_m2[p] > 0 ? cells.used_floor_space_m2[p] / parks.floor_space_m2[p] : 0.0;
  }
}

}  // namespace

void measure_cells(const FirmArrays& firms, const Parks& parks, const ModelParameters& params,
                   const Executor& executor, CellStats& cells, const PolicyState& policy,
                   std::int64_t first_new_firm_id) {
  const CellTotals total = executor.reduce(
      firms.size(), CellTotals(parks.size() * sector_count),
      [&](CellTotals& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (!firms.alive[i]) continue;
          const std::size_t c =
              cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
          const double employees = firms.employees[i];
          part.firms[c] += 1.0;
          part.employees[c] += employees;
          part.revenue[c] += firms.revenue_cny[i];
          if (firms.id[i] >= first_new_firm_id) part.new_firm_revenue[c] += firms.revenue_cny[i];
          part.log_productivity[c] += employees * std::log(firms.productivity[i]);
          part.vacancies[c] += std::max(0, firms.staffing_gap[i]);
          if (firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn)) part.unicorns[c] += 1.0;
          part.stage_counts[c * stage_count + firms.stage[i]] += 1.0;
          part.rd[c] += rd_intensity(firms.sector[i], static_cast<std::size_t>(firms.park[i]),
                                     params, policy) *
                        firms.revenue_cny[i];
          if (firms.stage[i] == static_cast<std::uint8_t>(Stage::chain_leader)) {
            part.chain_leader[c] = std::max(part.chain_leader[c], std::log(firms.productivity[i]));
          }
          if (firms.incubator[i] >= 0) {
            part.incubated[c] += 1.0;
            part.incubated_employees[c] += employees;
          }
        }
      },
      [](CellTotals& sum, const CellTotals& part) { sum.add(part); });
  store_cells(total, parks, params, cells);
}

}  // namespace clustersim
