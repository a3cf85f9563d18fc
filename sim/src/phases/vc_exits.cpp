#include "clustersim/phases/vc_exits.hpp"

#include <algorithm>
#include <array>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <numeric>
#include <span>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"
#include "holdings.hpp"

namespace clustersim {

void vc_exits(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const StepContext& ctx,
              StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  // Stakes in firms that exited this month are worth nothing.
  for (std::size_t d = 0; d < deals.size(); ++d) {
    if (deals.status[d] != static_cast<std::uint8_t>(DealStatus::active) ||
        deals.firm_index[d] < 0) {
      continue;
    }
    const auto i = static_cast<std::size_t>(deals.firm_index[d]);
    if (firms.alive[i]) continue;
    deals.status[d] = static_cast<std::uint8_t>(DealStatus::written_off);
    flows.write_offs[cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i])] += 1.0;
  }
  const Holdings by_firm = holdings_by_firm(deals, firms.size());
  const double ipo = monthly_probability(p.vc_ipo_rate);
  const double acquisition = monthly_probability(p.vc_acquisition_rate);
  const double unicorn = unicorn_threshold_cny(p);
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (!firms.alive[i] || firms.rounds[i] == 0) continue;
    firms.valuation_cny[i] =
        firms.post_money_cny[i] * firms.revenue_cny[i] / firms.revenue_at_round_cny[i];
    if (firms.exit_route[i] != 0) continue;
    const auto stage = static_cast<Stage>(firms.stage[i]);
    // The lists hold young firms only: an older one leaves them whatever its value.
    if (firms.valuation_cny[i] >= unicorn &&
        young_enough_for_unicorn_lists(firms.age_months[i], p)) {
      firms.stage[i] = static_cast<std::uint8_t>(Stage::unicorn);
    } else if (stage == Stage::unicorn) {
      firms.stage[i] = static_cast<std::uint8_t>(
          classify_stage(firms.revenue_cny[i], firms.age_months[i], Stage::growth, p));
    }
    Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step, Purpose::vc_exit);
    const double u_ipo = stream.uniform01();
    const double u_acquisition = stream.uniform01();
    std::uint8_t route = 0;
    if (firms.valuation_cny[i] >= p.vc_ipo_valuation_cny &&
        firms.age_months[i] >= p.vc_ipo_min_age_years * months_per_year && u_ipo < ipo) {
      route = 1;
    } else if (firms.age_months[i] >= p.vc_acquisition_min_age_months &&
               u_acquisition < acquisition) {
      route = 2;
    }
    if (route == 0) continue;
    firms.exit_route[i] = route;
    if (firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn)) {  // no longer private
      firms.stage[i] = static_cast<std::uint8_t>(
          classify_stage(firms.revenue_cny[i], firms.age_months[i], Stage::growth, p));
    }
    const std::size_t c = cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
    (route == 1 ? flows.ipos : flows.acquisitions)[c] += 1.0;
    // A listing is priced at the mark; an acquirer pays it times a lognormal factor (a third
    // draw of the stream), mostly less.
    double price_cny = firms.valuation_cny[i];
    if (route == 2) {
      boost::random::normal_distribution<double> price_noise(0.0, 1.0);
      price_cny = acquisition_price_cny(price_cny, price_noise(stream), p);
    }
    for (std::uint32_t d : by_firm.of(i)) {
      deals.status[d] = static_cast<std::uint8_t>(DealStatus::exited);
      deals.proceeds_cny[d] = deals.stake[d] * price_cny;
      funds.realized_cny[static_cast<std::size_t>(deals.fund[d])] += deals.proceeds_cny[d];
    }
  }
}

}  // namespace clustersim
