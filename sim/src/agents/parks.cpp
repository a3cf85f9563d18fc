#include "clustersim/agents/parks.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "clustersim/model/policy.hpp"

namespace clustersim {

void Parks::reset_standing(std::int64_t max_named, const std::vector<double>& base_cell_revenue) {
  const std::size_t n = size();
  in_zone.assign(n, 1);
  standing.assign(n, static_cast<std::int8_t>(Standing::normal));
  strikes.assign(n, 0);
  score.assign(n, std::nan(""));
  effort.assign(n, 0.0);
  focus_mask.assign(n, 0);
  for (std::size_t k = 0; k < n; ++k) {
    // The named industries, largest base-year revenue first (ties: sector order).
    std::vector<int> named;
    for (int s = 0; s < sector_count; ++s) {
      if (is_leading(s) && names_leading(k, s)) named.push_back(s);
    }
    std::stable_sort(named.begin(), named.end(), [&](int a, int b) {
      return base_cell_revenue[cell_index(k, a)] > base_cell_revenue[cell_index(k, b)];
    });
    for (std::size_t j = 0; j < named.size() && static_cast<std::int64_t>(j) < max_named; ++j) {
      focus_mask[k] |= static_cast<std::uint8_t>(1u << named[j]);
    }
  }
}

}  // namespace clustersim
