#include "clustersim/phases/close_fund_year.hpp"

#include <algorithm>

namespace clustersim {

void close_fund_year(FundArrays& funds, const DealArrays& deals, const FirmArrays& firms,
                     const ModelParameters& params, int year) {
  (void)params;
  std::fill(funds.nav_cny.data(), funds.nav_cny.data() + funds.size(), 0.0);
  for (std::size_t d = 0; d < deals.size(); ++d) {
    if (deals.status[d] != static_cast<std::uint8_t>(DealStatus::active) ||
        deals.firm_index[d] < 0) {
      continue;
    }
    const auto i = static_cast<std::size_t>(deals.firm_index[d]);
    funds.nav_cny[static_cast<std::size_t>(deals.fund[d])] +=
        deals.stake[d] * firms.valuation_cny[i];
  }
  for (std::size_t f = 0; f < funds.size(); ++f) {
    if (year + 1 >= funds.vintage_year[f] + funds.lifetime_years[f]) funds.open[f] = 0;
  }
}

void start_fund_year(FundArrays& funds) {
  // After December's snapshot has recorded the year's deals.
  for (std::size_t f = 0; f < funds.size(); ++f) funds.deals_this_year[f] = 0;
}

}  // namespace clustersim
