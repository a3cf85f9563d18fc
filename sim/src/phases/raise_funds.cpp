#include "clustersim/phases/raise_funds.hpp"

#include <algorithm>
#include <array>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <numeric>
#include <span>
#include <vector>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

// The parks of the new deals (not follow-ons) made in the twelve months before `step`, one entry
// per deal, of firms still in the arrays: where the venture network is. Deals are appended month
// by month and never removed, so they are a suffix of the arrays.
std::vector<std::int16_t> recent_deal_parks(const DealArrays& deals, const FirmArrays& firms,
                                            std::uint32_t step) {
  std::vector<std::int16_t> parks;
  const auto since = static_cast<std::int64_t>(step) - 12;
  for (std::size_t d = deals.size(); d-- > 0 && deals.step[d] >= since;) {
    if (deals.follow_on[d] || deals.firm_index[d] < 0) continue;
    parks.push_back(firms.park[static_cast<std::size_t>(deals.firm_index[d])]);
  }
  std::reverse(parks.begin(), parks.end());  // in deal order
  return parks;
}

}  // namespace

void raise_funds(FundArrays& funds, const FirmArrays& firms, const DealArrays& deals,
                 const ModelParameters& p, std::uint64_t seed, int year, std::uint32_t step,
                 bool base_year_funds, const PolicyState& policy) {
  // Venture capital goes where the deals are (Sorenson & Stuart 2001; Chen et al. 2010).
  const std::vector<std::int16_t> deal_parks = recent_deal_parks(deals, firms, step);
  // Levers adding funds each year: the government innovation fund, corporate venture funds of
  // tech leaders, and (global network) more private, partly foreign, funds.
  const std::array<double, fund_kind_count> new_per_year = {
      p.vc_new_funds_per_year[0] +
          p.government_fund_new_per_year * policy.at(Lever::government_fund),
      p.vc_new_funds_per_year[1] *
          (1.0 + p.global_network_private_funds_gain * policy.at(Lever::global_network)),
      p.vc_new_funds_per_year[2] + p.corporate_vc_new_per_year * policy.at(Lever::corporate_vc)};
  // Large leading-sector firms, by id, are the possible parents of corporate funds.
  std::vector<std::size_t> parents;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (firms.alive[i] && is_leading(firms.sector[i]) &&
        firms.revenue_cny[i] >= p.stage_large_revenue_cny) {
      parents.push_back(i);
    }
  }
  for (int kind = 0; kind < fund_kind_count; ++kind) {
    std::int64_t count = 0;
    const auto k = static_cast<std::size_t>(kind);
    if (base_year_funds) {
      const double expected = p.vc_initial_funds[k] * p.scale;
      count = expected > 0 ? std::max<std::int64_t>(1, std::llround(expected)) : 0;
    } else {
      Stream stream(seed, static_cast<std::uint64_t>(kind), step, Purpose::fund_raising);
      boost::random::poisson_distribution<std::int64_t, double> raised(
          std::max(1e-12, new_per_year[k] * p.scale));
      count = raised(stream);
    }
    if (kind == static_cast<int>(FundKind::corporate) && parents.empty()) count = 0;
    for (std::int64_t n = 0; n < count; ++n) {
      const std::size_t f = funds.size();
      funds.resize(f + 1);
      // Fund ids are their index; streams are keyed by id, offset past the kind streams.
      Stream stream(seed, 16 + f, step, Purpose::fund_raising);
      boost::random::normal_distribution<double> normal(0.0, 1.0);
      funds.id[f] = static_cast<std::int64_t>(f);
      funds.kind[f] = static_cast<std::uint8_t>(kind);
      funds.alive[f] = 1;
      funds.open[f] = 1;
      funds.size_cny[f] = p.vc_fund_size_cny[k] * std::exp(p.vc_fund_size_sd * normal(stream));
      funds.vintage_year[f] =
          base_year_funds
              ? year - static_cast<std::int32_t>(stream.uniform01() *
                                                 static_cast<double>(p.vc_investment_years))
              : year;
      funds.investment_years[f] = static_cast<std::int32_t>(p.vc_investment_years);
      funds.lifetime_years[f] = static_cast<std::int32_t>(p.vc_lifetime_years);
      funds.deals_per_year[f] = std::max(
          static_cast<std::int32_t>(p.vc_min_deals_per_year),
          static_cast<std::int32_t>(std::lround(funds.size_cny[f] / 1e9 * p.vc_deals_per_billion)));
      funds.hard_tech[f] = p.vc_hard_tech[k];
      funds.parent_firm[f] = -1;
      funds.sector[f] = 255;
      const double u = stream.uniform01();
      switch (static_cast<FundKind>(kind)) {
        case FundKind::government:  // early, small, hard-tech
          funds.first_round[f] = 0;
          funds.last_round[f] = 2;
          break;
        case FundKind::private_vc:
          funds.first_round[f] = u < p.vc_private_seed_share ? 0 : 1;
          funds.last_round[f] = round_count - 1;
          break;
        case FundKind::corporate: {
          const std::size_t parent =
              parents[std::min(parents.size() - 1,
                               static_cast<std::size_t>(u * static_cast<double>(parents.size())))];
          funds.parent_firm[f] = firms.id[parent];
          funds.sector[f] = firms.sector[parent];
          funds.park[f] = firms.park[parent];
          funds.first_round[f] = 1;
          funds.last_round[f] = round_count - 1;
          break;
        }
      }
      if (static_cast<FundKind>(kind) != FundKind::corporate && !deal_parks.empty()) {
        // Home park: that of a recent deal drawn at random (the venture network's parks).
        const auto d = std::min(
            deal_parks.size() - 1,
            static_cast<std::size_t>(stream.uniform01() * static_cast<double>(deal_parks.size())));
        funds.park[f] = deal_parks[d];
      } else if (static_cast<FundKind>(kind) != FundKind::corporate && !firms.id.empty()) {
        // No deals yet (the base year): that of a firm drawn at random.
        const auto i = std::min(
            firms.size() - 1,
            static_cast<std::size_t>(stream.uniform01() * static_cast<double>(firms.size())));
        funds.park[f] = firms.park[i];
      }
    }
  }
}

}  // namespace clustersim
