// The labour market, as docs/model.md states it: per market, every searcher ranked by skill
// meets every opening ranked by its firm's offer, one pair at a time.
#include <algorithm>
#include <cmath>

#include "reference.hpp"

namespace clustersim::reference {

void match_labour(TalentArrays& talent, const FirmArrays& firms, const StepContext& ctx,
                  StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_cells = flows.hires.size();
  const std::size_t n_parks = n_cells / sector_count;
  std::vector<std::vector<std::size_t>> searchers(n_cells), employers(n_cells);
  for (std::size_t t = 0; t < talent.size(); ++t) {
    if (talent.alive[t] && talent.intent[t] == static_cast<std::uint8_t>(TalentIntent::search)) {
      searchers[cell_index(static_cast<std::size_t>(talent.target_park[t]), talent.sector[t])]
          .push_back(t);
    }
  }
  for (std::size_t f = 0; f < firms.size(); ++f) {
    if (firms.alive[f] && firms.staffing_gap[f] > 0) {
      employers[cell_index(static_cast<std::size_t>(firms.park[f]), firms.sector[f])].push_back(f);
    }
  }
  for (std::size_t market = 0; market < n_cells; ++market) {
    auto& seekers = searchers[market];
    auto& hiring = employers[market];
    std::sort(seekers.begin(), seekers.end(), [&](std::size_t a, std::size_t b) {
      return talent.skill[a] > talent.skill[b] ||
             (talent.skill[a] == talent.skill[b] && talent.id[a] < talent.id[b]);
    });
    std::sort(hiring.begin(), hiring.end(), [&](std::size_t a, std::size_t b) {
      return firms.productivity[a] > firms.productivity[b] ||
             (firms.productivity[a] == firms.productivity[b] && firms.id[a] < firms.id[b]);
    });
    std::vector<std::size_t> openings;  // a firm once per vacancy, best offer first
    for (std::size_t f : hiring) openings.insert(openings.end(), firms.staffing_gap[f], f);
    const auto park = static_cast<std::int16_t>(market / sector_count);
    for (std::size_t r = 0; r < std::min(seekers.size(), openings.size()); ++r) {
      const std::size_t t = seekers[r], f = openings[r];
      const double wage = wage_offer(firms.productivity[f], p) *
                          std::exp(p.talent_wage_skill_premium * talent.skill[t]);
      // The employed move only to another firm for a better wage; the vacancy stays open.
      if (talent.employer_index[t] >= 0 &&
          (talent.employer_index[t] == static_cast<std::int32_t>(f) ||
           wage < talent.wage_cny[t] * (1.0 + p.talent_switch_premium))) {
        continue;
      }
      if (talent.park[t] != park) {
        flows.talent_moves[static_cast<std::size_t>(talent.park[t]) * n_parks +
                           static_cast<std::size_t>(park)] += 1.0;
      }
      talent.employer[t] = firms.id[f];
      talent.employer_index[t] = static_cast<std::int32_t>(f);
      talent.park[t] = park;
      talent.wage_cny[t] = wage;
      talent.months_seeking[t] = 0;
      flows.hires[market] += 1.0;
    }
  }
}

}  // namespace clustersim::reference
