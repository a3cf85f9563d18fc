#pragma once
// Private to the venture-capital phases: each firm's active deals, indexed once per phase.

#include <cstdint>
#include <span>
#include <vector>

#include "clustersim/agents/funds.hpp"

namespace clustersim {

// Active deals of each firm (by firm index), in deal order, as one index (counting sort): the
// deals of firm i are deal[begin[i]] .. deal[begin[i + 1] - 1]. No allocation per firm.
struct Holdings {
  std::vector<std::uint32_t> begin, deal;
  std::span<const std::uint32_t> of(std::size_t firm) const {
    return {deal.data() + begin[firm], deal.data() + begin[firm + 1]};
  }
};

inline Holdings holdings_by_firm(const DealArrays& deals, std::size_t n_firms) {
  auto holds = [&](std::size_t d) {
    return deals.status[d] == static_cast<std::uint8_t>(DealStatus::active) &&
           deals.firm_index[d] >= 0;
  };
  Holdings holdings{std::vector<std::uint32_t>(n_firms + 1, 0), {}};
  for (std::size_t d = 0; d < deals.size(); ++d) {
    if (holds(d)) ++holdings.begin[static_cast<std::size_t>(deals.firm_index[d]) + 1];
  }
  for (std::size_t i = 0; i < n_firms; ++i) holdings.begin[i + 1] += holdings.begin[i];
  holdings.deal.resize(holdings.begin[n_firms]);
  std::vector<std::uint32_t> next(holdings.begin.begin(), holdings.begin.end() - 1);
  for (std::size_t d = 0; d < deals.size(); ++d) {
    if (holds(d)) {
      holdings.deal[next[static_cast<std::size_t>(deals.firm_index[d])]++] =
          static_cast<std::uint32_t>(d);
    }
  }
  return holdings;
}

}  // namespace clustersim
