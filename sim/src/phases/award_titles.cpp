#include "clustersim/phases/award_titles.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>
#include <vector>

#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

// A firm meets a title's criteria other than productivity (docs/model.md 3.3.23, step 1).
bool champion_candidate(const FirmArrays& firms, std::size_t i, const ModelParameters& p) {
  const double revenue = firms.revenue_cny[i];
  return revenue >= p.hidden_champion_min_revenue_cny &&
         revenue <= p.hidden_champion_max_revenue_cny &&
         firms.age_months[i] / months_per_year >= p.hidden_champion_min_age_years;
}

bool little_giant_candidate(const FirmArrays& firms, std::size_t i, const ModelParameters& p) {
  const double revenue = firms.revenue_cny[i];
  return revenue >= p.little_giant_min_revenue_cny && revenue < p.stage_large_revenue_cny &&
         firms.age_months[i] / months_per_year >= p.little_giant_min_age_years &&
         p.rd_intensity[firms.sector[i]] >= p.rd_little_giant_min_intensity;
}

// The candidates each list names, per sector: the top share (1 - quantile) of each sector's
// candidates, with the total rounded to the nearest whole firm and split across sectors by
// largest remainder. A bound at a quantile of a few dozen candidates (a sector at 1/10 scale)
// would name a share that rounds up to one firm in every sector; the remainders keep the total
// at (1 - quantile) of all candidates whatever the scale (docs/model.md 3.3.23, step 1).
std::array<std::size_t, sector_count> allot(
    const std::array<std::vector<std::int64_t>, sector_count>& pools, double quantile) {
  std::array<std::size_t, sector_count> named{};
  std::array<double, sector_count> remainder{};
  double quota_total = 0.0;
  std::size_t floors = 0;
  for (std::size_t s = 0; s < sector_count; ++s) {
    const double quota = (1.0 - quantile) * static_cast<double>(pools[s].size());
    named[s] = static_cast<std::size_t>(std::floor(quota));
    remainder[s] = quota - std::floor(quota);
    quota_total += quota;
    floors += named[s];
  }
  const auto total = static_cast<std::size_t>(std::floor(quota_total + 0.5));
  for (std::size_t extra = floors; extra < total; ++extra) {
    std::size_t best = sector_count;  // the largest remainder left; ties: the first sector
    for (std::size_t s = 0; s < sector_count; ++s) {
      if (remainder[s] > 0.0 && (best == sector_count || remainder[s] > remainder[best])) {
        best = s;
      }
    }
    if (best == sector_count) break;
    ++named[best];
    remainder[best] = 0.0;
  }
  return named;
}

// Marks the `count` most productive of `pool` (ties: the lower id).
void mark_most_productive(const FirmArrays& firms, std::vector<std::int64_t> pool,
                          std::size_t count, std::vector<std::uint8_t>& marked) {
  count = std::min(count, pool.size());
  auto more_productive = [&](std::int64_t a, std::int64_t b) {
    const auto i = static_cast<std::size_t>(a), j = static_cast<std::size_t>(b);
    return firms.productivity[i] > firms.productivity[j] ||
           (firms.productivity[i] == firms.productivity[j] && firms.id[i] < firms.id[j]);
  };
  std::partial_sort(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(count), pool.end(),
                    more_productive);
  for (std::size_t k = 0; k < count; ++k) marked[static_cast<std::size_t>(pool[k])] = 1;
}

}  // namespace

void award_titles(FirmArrays& firms, const ModelParameters& p, const Executor& executor) {
  // Blocks of firms gather each sector's candidates for the two lists and each cell's largest
  // candidate for chain leader in parallel. Neither result depends on how the blocks are
  // combined: the k-th smallest value does not depend on the order of the values, and the
  // largest firm is the maximum of a total order (revenue, then id).
  struct Partial {
    std::array<std::vector<std::int64_t>, sector_count> champion_pool, giant_pool;  // indices
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
  auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
  Partial found = executor.reduce(
      firms.size(), Partial{},
      [&](Partial& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          // A unicorn keeps its title: it is in no pool and does not block its cell's
          // next-largest firm.
          if (!firms.alive[i] || firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn)) {
            continue;
          }
          const std::uint8_t s = firms.sector[i];
          if (champion_candidate(firms, i, p)) {
            part.champion_pool[s].push_back(static_cast<std::int64_t>(i));
          }
          if (little_giant_candidate(firms, i, p)) {
            part.giant_pool[s].push_back(static_cast<std::int64_t>(i));
          }
          if (is_leading(s) && firms.revenue_cny[i] >= p.chain_leader_min_revenue_cny) {
            keep_larger(part.largest, cell_index(static_cast<std::size_t>(firms.park[i]), s),
                        static_cast<std::int64_t>(i));
          }
        }
      },
      [&](Partial& total, const Partial& part) {
        for (std::size_t s = 0; s < sector_count; ++s) {
          append(total.champion_pool[s], part.champion_pool[s]);
          append(total.giant_pool[s], part.giant_pool[s]);
        }
        for (std::size_t c = 0; c < part.largest.size(); ++c) {
          keep_larger(total.largest, c, part.largest[c]);
        }
      });
  // Chain leaders: the largest leading-industry firm of each park x sector, above the bound.
  std::vector<std::uint8_t> leader(firms.size(), 0);
  for (const std::int64_t i : found.largest) {
    if (i >= 0) leader[static_cast<std::size_t>(i)] = 1;
  }
  // Each list names the more productive of its sector's candidates; a chain leader takes its
  // own title, so it is no champion candidate.
  for (auto& pool : found.champion_pool) {
    std::erase_if(pool, [&](std::int64_t i) { return leader[static_cast<std::size_t>(i)] != 0; });
  }
  std::vector<std::uint8_t> champion(firms.size(), 0), giant(firms.size(), 0);
  const auto champions = allot(found.champion_pool, p.hidden_champion_productivity_quantile);
  const auto giants = allot(found.giant_pool, p.little_giant_productivity_quantile);
  for (std::size_t s = 0; s < sector_count; ++s) {
    mark_most_productive(firms, std::move(found.champion_pool[s]), champions[s], champion);
    mark_most_productive(firms, std::move(found.giant_pool[s]), giants[s], giant);
  }

  executor.for_each(firms.size(), [&](std::size_t i) {
    if (!firms.alive[i] || firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn)) return;
    Stage title;
    if (leader[i]) {
      title = Stage::chain_leader;
    } else if (champion[i]) {
      title = Stage::hidden_champion;
    } else if (giant[i]) {
      title = Stage::little_giant;
    } else {
      const auto current = static_cast<Stage>(firms.stage[i]);
      title = classify_stage(firms.revenue_cny[i], firms.age_months[i],
                             current > Stage::large ? Stage::growth : current, p);
    }
    firms.stage[i] = static_cast<std::uint8_t>(title);
  });
}

}  // namespace clustersim
