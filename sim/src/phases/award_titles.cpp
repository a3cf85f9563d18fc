#include "clustersim/phases/award_titles.hpp"

#include <algorithm>
#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <map>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void award_titles(FirmArrays& firms, const ModelParameters& p, const Executor& executor) {
  // Blocks of firms gather each sector's productivities and each cell's largest candidate for
  // chain leader in parallel. Neither result depends on how the blocks are combined: the k-th
  // smallest value does not depend on the order of the values, and the largest firm is the
  // maximum of a total order (revenue, then id).
  struct Partial {
    std::array<std::vector<double>, sector_count> productivity;
    std::vector<std::int64_t> largest;  // per cell: firm index, -1 if none
  };
  auto larger = [&](std::int64_t a, std::int64_t b) {  // firm a beats firm b (b may be none)
    if (b < 0) return true;
    const auto i = static_cast<std::size_t>(a), j = static_cast<std::size_t>(b);
    return firms.revenue_cny[i] > firms.revenue_cny[j] ||
           (firms.revenue_cny[i] == firms.revenue_cny[j] && firms.id[i] < firms.id[j]);
  };
  auto keep_larger = [&](std::vector<std::int64_t>& largest, std::size_t c, std::int64_t i) {
    if (largest.size() <= c) largest.resize(c + 1, -1);
    if (i >= 0 && larger(i, largest[c])) largest[c] = i;
  };
  Partial found = executor.reduce(
      firms.size(), Partial{},
      [&](Partial& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (!firms.alive[i]) continue;
          part.productivity[firms.sector[i]].push_back(firms.productivity[i]);
          // A unicorn keeps its title and does not block its cell's next-largest firm.
          if (!is_leading(firms.sector[i]) ||
              firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn) ||
              firms.revenue_cny[i] < p.chain_leader_min_revenue_cny) {
            continue;
          }
          keep_larger(part.largest,
                      cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]),
                      static_cast<std::int64_t>(i));
        }
      },
      [&](Partial& total, const Partial& part) {
        for (std::size_t s = 0; s < sector_count; ++s) {
          total.productivity[s].insert(total.productivity[s].end(), part.productivity[s].begin(),
                                       part.productivity[s].end());
        }
        for (std::size_t c = 0; c < part.largest.size(); ++c) {
          keep_larger(total.largest, c, part.largest[c]);
        }
      });
  // Each sector's productivity quantiles among living firms: hidden champions are world class,
  // little giants stand out among their peers (both lists are selective).
  std::array<double, sector_count> champion_bound{}, giant_bound{};
  for (std::size_t s = 0; s < sector_count; ++s) {
    std::vector<double>& values = found.productivity[s];
    if (values.empty()) continue;
    auto quantile = [&](double q) {
      const auto k = static_cast<std::size_t>(q * static_cast<double>(values.size() - 1));
      std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k),
                       values.end());
      return values[k];
    };
    champion_bound[s] = quantile(p.hidden_champion_productivity_quantile);
    giant_bound[s] = quantile(p.little_giant_productivity_quantile);
  }
  // Chain leaders: the largest leading-industry firm of each park x sector, above the bound.
  std::vector<std::uint8_t> leader(firms.size(), 0);
  for (const std::int64_t i : found.largest) {
    if (i >= 0) leader[static_cast<std::size_t>(i)] = 1;
  }

  executor.for_each(firms.size(), [&](std::size_t i) {
    if (!firms.alive[i] || firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn)) return;
    const double revenue = firms.revenue_cny[i];
    const double age_years = firms.age_months[i] / months_per_year;
    Stage title;
    if (leader[i]) {
      title = Stage::chain_leader;
    } else if (revenue >= p.hidden_champion_min_revenue_cny &&
               revenue <= p.hidden_champion_max_revenue_cny &&
               age_years >= p.hidden_champion_min_age_years &&
               firms.productivity[i] >= champion_bound[firms.sector[i]]) {
      title = Stage::hidden_champion;
    } else if (revenue >= p.little_giant_min_revenue_cny && revenue < p.stage_large_revenue_cny &&
               age_years >= p.little_giant_min_age_years &&
               p.rd_intensity[firms.sector[i]] >= p.rd_little_giant_min_intensity &&
               firms.productivity[i] >= giant_bound[firms.sector[i]]) {
      title = Stage::little_giant;
    } else {
      const auto current = static_cast<Stage>(firms.stage[i]);
      title = classify_stage(revenue, firms.age_months[i],
                             current > Stage::large ? Stage::growth : current, p);
    }
    firms.stage[i] = static_cast<std::uint8_t>(title);
  });
}

}  // namespace clustersim
