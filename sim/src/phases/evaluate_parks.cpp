#include "clustersim/phases/evaluate_parks.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "clustersim/model/rules.hpp"

namespace clustersim {

std::vector<double> park_scores(const SeriesBook& series, const Parks& parks,
                                const ModelParameters& p) {
  const std::size_t n_parks = parks.size();
  const std::size_t n_cells = n_parks * sector_count;
  const std::size_t last = series.months() - 1;
  // Revenue a year before December (the first recorded month in the base year).
  const std::size_t before = last >= 12 ? last - 12 : 0;
  std::size_t first = last;
  while (first > 0 && series.year()[first - 1] == series.year()[last]) --first;

  auto park_sum = [&](const std::string& name, std::size_t from, std::size_t to, std::size_t k) {
    const std::vector<double>& v = series.values(name);
    double total = 0.0;
    for (std::size_t m = from; m <= to; ++m) {
      for (int s = 0; s < sector_count; ++s) total += v[m * n_cells + cell_index(k, s)];
    }
    return total;
  };
  // Indicators per park: revenue growth, revenue density, patents per employee, entries per firm.
  std::vector<std::array<double, 4>> indicator(n_parks);
  std::vector<std::size_t> ranked;
  for (std::size_t k = 0; k < n_parks; ++k) {
    if (!parks.is_in_zone(k)) continue;
    ranked.push_back(k);
    const double revenue = park_sum("revenue_cny", last, last, k);
    const double revenue_before = park_sum("revenue_cny", before, before, k);
    const double employees = park_sum("employees", last, last, k);
    const double firms = park_sum("firms", last, last, k);
    indicator[k] = {std::log((revenue + 1.0) / (revenue_before + 1.0)),
                    std::log((revenue + 1.0) / std::max(parks.area_km2[k], 1e-3)),
                    park_sum("patents", first, last, k) / (employees + 1.0),
                    park_sum("entries", first, last, k) / (firms + 1.0)};
  }
  std::vector<double> score(n_parks, std::nan(""));
  if (ranked.empty()) return score;
  // z-scores across the parks in the zone, combined with the weights.
  std::array<double, 4> mean{}, sd{};
  for (std::size_t j = 0; j < 4; ++j) {
    for (std::size_t k : ranked) mean[j] += indicator[k][j];
    mean[j] /= static_cast<double>(ranked.size());
    for (std::size_t k : ranked) sd[j] += (indicator[k][j] - mean[j]) * (indicator[k][j] - mean[j]);
    sd[j] = std::sqrt(sd[j] / static_cast<double>(ranked.size()));
  }
  const double weight_sum =
      std::accumulate(p.evaluation_score_weights.begin(), p.evaluation_score_weights.end(), 0.0);
  for (std::size_t k : ranked) {
    double total = 0.0;
    for (std::size_t j = 0; j < 4; ++j) {
      if (sd[j] > 0.0) total += p.evaluation_score_weights[j] * (indicator[k][j] - mean[j]) / sd[j];
    }
    score[k] = total / weight_sum;
  }
  return score;
}

void rank_parks(const std::vector<double>& score, const ModelParameters& p, Parks& parks) {
  std::vector<std::size_t> order;
  for (std::size_t k = 0; k < parks.size(); ++k) {
    if (parks.is_in_zone(k)) order.push_back(k);
  }
  // Best first; ties by park order.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return score[a] > score[b]; });
  const std::size_t n = order.size();
  const std::size_t bottom =
      std::min<std::size_t>(static_cast<std::size_t>(p.evaluation_bottom_parks), n);
  const std::size_t top =
      std::min<std::size_t>(static_cast<std::size_t>(p.evaluation_top_parks), n);
  std::vector<std::uint8_t> fails(parks.size(), 0);
  for (std::size_t r = n - bottom; r < n; ++r) {
    if (score[order[r]] < p.evaluation_fail_score) fails[order[r]] = 1;
  }
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t k = order[r];
    parks.score[k] = score[k];
    // Yardstick competition: a notified park, and less so one below the zone's mean, runs its
    // own programmes harder until the next evaluation.
    parks.effort[k] = fails[k]         ? p.evaluation_notice_effort
                      : score[k] < 0.0 ? p.evaluation_low_rank_effort
                                       : 0.0;
    if (fails[k]) {
      // One notice, two strikes and the plaque is removed.
      parks.strikes[k] += 1;
      if (parks.strikes[k] >= 2) {
        parks.standing[k] = static_cast<std::int8_t>(Standing::removed);
        parks.in_zone[k] = 0;
        parks.effort[k] = 0.0;
      } else {
        parks.standing[k] = static_cast<std::int8_t>(Standing::notified);
      }
    } else {
      parks.strikes[k] = 0;
      parks.standing[k] = static_cast<std::int8_t>(r < top ? Standing::priority : Standing::normal);
    }
  }
}

void evaluate_parks(const SeriesBook& series, const ModelParameters& p, Parks& parks) {
  rank_parks(park_scores(series, parks, p), p, parks);
}

}  // namespace clustersim
