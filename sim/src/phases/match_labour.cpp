#include <algorithm>
#include <cmath>
#include <numeric>

#include "clustersim/phases/phases.hpp"

namespace clustersim {

void match_labour(TalentArrays& talent, const FirmArrays& firms, const StepContext& ctx,
                  StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_cells = flows.hires.size();
  const std::size_t n_parks = n_cells / sector_count;

  // Markets are park x sector cells. Bucket searchers and vacancies by market (counting sort,
  // O(N)); within a market, sort (O(N log N)) and pair rank with rank: the most skilled
  // searcher meets the best-paid vacancy (assortative matching).
  std::vector<std::vector<std::uint32_t>> searchers(n_cells);
  for (std::size_t t = 0; t < talent.size(); ++t) {
    if (talent.alive[t] && talent.intent[t] == static_cast<std::uint8_t>(TalentIntent::search)) {
      searchers[cell_index(static_cast<std::size_t>(talent.target_park[t]), talent.sector[t])]
          .push_back(static_cast<std::uint32_t>(t));
    }
  }
  std::vector<std::vector<std::uint32_t>> vacancies(n_cells);
  for (std::size_t f = 0; f < firms.size(); ++f) {
    if (!firms.alive[f] || firms.staffing_gap[f] <= 0) continue;
    auto& slots = vacancies[cell_index(static_cast<std::size_t>(firms.park[f]), firms.sector[f])];
    slots.insert(slots.end(), static_cast<std::size_t>(firms.staffing_gap[f]),
                 static_cast<std::uint32_t>(f));
  }

  std::vector<std::vector<double>> moves(n_cells);  // per market: arrivals by origin park
  ctx.executor.for_each(n_cells, [&](std::size_t market) {
    auto& seekers = searchers[market];
    auto& slots = vacancies[market];
    if (seekers.empty() || slots.empty()) return;
    std::sort(seekers.begin(), seekers.end(), [&](std::uint32_t a, std::uint32_t b) {
      return talent.skill[a] > talent.skill[b] ||
             (talent.skill[a] == talent.skill[b] && talent.id[a] < talent.id[b]);
    });
    // Offers rise with productivity; ties by firm id (several slots of one firm stay together).
    std::stable_sort(slots.begin(), slots.end(), [&](std::uint32_t a, std::uint32_t b) {
      return firms.productivity[a] > firms.productivity[b] ||
             (firms.productivity[a] == firms.productivity[b] && firms.id[a] < firms.id[b]);
    });
    moves[market].assign(n_parks, 0.0);
    const auto park = static_cast<std::int16_t>(market / sector_count);
    const std::size_t pairs = std::min(seekers.size(), slots.size());
    for (std::size_t r = 0; r < pairs; ++r) {
      const std::uint32_t t = seekers[r];
      const std::uint32_t f = slots[r];
      const double wage = wage_offer(firms.productivity[f], p) *
                          std::exp(p.talent_wage_skill_premium * talent.skill[t]);
      const bool employed = talent.employer_index[t] >= 0;
      if (employed && (talent.employer_index[t] == static_cast<std::int32_t>(f) ||
                       wage < talent.wage_cny[t] * (1.0 + p.talent_switch_premium))) {
        continue;  // not worth a move: the vacancy stays open this month
      }
      if (talent.park[t] != park) moves[market][static_cast<std::size_t>(talent.park[t])] += 1.0;
      talent.employer[t] = firms.id[f];
      talent.employer_index[t] = static_cast<std::int32_t>(f);
      talent.park[t] = park;
      talent.wage_cny[t] = wage;
      talent.months_seeking[t] = 0;
      flows.hires[market] += 1.0;
    }
  });
  for (std::size_t market = 0; market < n_cells; ++market) {
    if (moves[market].empty()) continue;
    const std::size_t destination = market / sector_count;
    for (std::size_t origin = 0; origin < n_parks; ++origin) {
      flows.talent_moves[origin * n_parks + destination] += moves[market][origin];
    }
  }
}

void staff_firms(FirmArrays& firms, const TalentArrays& talent) {
  std::vector<std::int32_t> staff(firms.size(), 0);
  std::vector<double> skill(firms.size(), 0.0);
  for (std::size_t t = 0; t < talent.size(); ++t) {
    if (talent.alive[t] && talent.employer_index[t] >= 0) {
      ++staff[static_cast<std::size_t>(talent.employer_index[t])];
      skill[static_cast<std::size_t>(talent.employer_index[t])] += talent.skill[t];
    }
  }
  for (std::size_t f = 0; f < firms.size(); ++f) {
    if (!firms.alive[f] || !is_leading(firms.sector[f])) continue;
    // The gap was "wanted minus staff at the start of the month"; keep what is still wanted.
    const std::int32_t wanted = firms.staffing_gap[f] + firms.employees[f];
    firms.employees[f] = staff[f];
    firms.team_skill[f] = staff[f] > 0 ? skill[f] / staff[f] : 0.0;
    firms.staffing_gap[f] = wanted - staff[f];
  }
}

void measure_talent(const TalentArrays& talent, const ModelParameters& params,
                    const Executor& executor, CellStats& cells) {
  struct Partial {
    std::vector<double> talent, seeking;
  };
  const std::size_t n_cells = cells.talent.size();
  const Partial zero{std::vector<double>(n_cells), std::vector<double>(n_cells)};
  const Partial total = executor.reduce(
      talent.size(), zero,
      [&](Partial& part, std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t) {
          if (!talent.alive[t]) continue;
          const std::size_t c =
              cell_index(static_cast<std::size_t>(talent.park[t]), talent.sector[t]);
          part.talent[c] += 1.0;
          if (talent.employer_index[t] < 0) part.seeking[c] += 1.0;
        }
      },
      [](Partial& sum, const Partial& part) {
        for (std::size_t c = 0; c < sum.talent.size(); ++c) {
          sum.talent[c] += part.talent[c];
          sum.seeking[c] += part.seeking[c];
        }
      });
  for (std::size_t c = 0; c < n_cells; ++c) {
    cells.talent[c] = total.talent[c] / params.scale;
    cells.seeking[c] = total.seeking[c] / params.scale;
  }
}

}  // namespace clustersim
