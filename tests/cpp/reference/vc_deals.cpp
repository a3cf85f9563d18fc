// Venture rounds, as docs/model.md states them: firms seek, funds see the most promising first;
// insiders follow on pro rata, new investors are scanned over every fund from a firm-dependent
// start; a round is booked when it has a lead. No cached lists, no batched streams.
#include <algorithm>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <map>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"
#include "reference.hpp"

namespace clustersim::reference {

void vc_deals(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const Parks& parks,
              const StepContext& ctx, int year, const std::vector<double>& momentum,
              std::int64_t& next_deal_id, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  // Seek: young firms, a year after their last round, with a monthly chance by sector and
  // incubation; the signal funds see.
  struct Candidate {
    std::size_t firm;
    double signal;
  };
  // Deal flow: each park's reach (investing funds weighted by proximity) over the mean reach of
  // the firms that may seek.
  auto nearness = [&](std::size_t firm_park, std::size_t fund_park) {
    return parks.distance_km.empty() || fund_park >= parks.size()
               ? 1.0
               : vc_proximity(parks.distance(firm_park, fund_park), p);
  };
  const std::size_t n_parks = flows.hires.size() / sector_count;
  std::vector<double> reach(n_parks, 0.0);
  for (std::size_t k = 0; k < n_parks; ++k) {
    for (std::size_t f = 0; f < funds.size(); ++f) {
      if (funds.open[f] && year < funds.vintage_year[f] + funds.investment_years[f]) {
        reach[k] += nearness(k, static_cast<std::size_t>(funds.park[f]));
      }
    }
  }
  std::vector<double> may_seek(n_parks, 0.0);  // counted by park, then summed in park order
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (firms.alive[i] && firms.exit_route[i] == 0 &&
        firms.age_months[i] <= p.vc_seek_max_age_months) {
      may_seek[static_cast<std::size_t>(firms.park[i])] += 1.0;
    }
  }
  double reached = 0.0, seekers = 0.0;
  for (std::size_t k = 0; k < n_parks; ++k) {
    reached += may_seek[k] * reach[k];
    seekers += may_seek[k];
  }
  std::vector<Candidate> candidates;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (!firms.alive[i] || firms.exit_route[i] != 0 ||
        firms.age_months[i] > p.vc_seek_max_age_months) {
      continue;
    }
    if (firms.last_round_step[i] > 0 &&
        ctx.step - static_cast<std::uint32_t>(firms.last_round_step[i]) <
            static_cast<std::uint64_t>(p.vc_months_between_rounds)) {
      continue;
    }
    const auto park = static_cast<std::size_t>(firms.park[i]);
    const bool leading = is_leading(firms.sector[i]), incubated = firms.incubator[i] >= 0;
    const double deal_flow = reached > 0.0 ? reach[park] / (reached / seekers) : 1.0;
    const double rate = p.vc_seek_rate * deal_flow *
                        (leading ? 1.0 : p.vc_non_leading_seek_factor) *
                        (incubated ? 1.0 + p.incubation_investment_seek_gain *
                                               ctx.policy.at(Lever::incubation_investment, park)
                                   : 1.0);
    Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step, Purpose::vc_seek);
    if (stream.uniform01() >= monthly_probability(rate)) continue;
    boost::random::normal_distribution<double> noise(0.0, p.vc_signal_noise);
    const double signal =
        std::log(firms.productivity[i]) + firms.team_skill[i] +
        p.vc_signal_revenue_weight * std::log(firms.revenue_cny[i] / p.entry_median_revenue_cny) +
        p.vc_momentum_weight * momentum[cell_index(park, firms.sector[i])] + noise(stream) +
        p.evaluation_priority_signal * ctx.policy.priority(park);
    candidates.push_back({i, signal});
  }
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    return a.signal > b.signal || (a.signal == b.signal && firms.id[a.firm] < firms.id[b.firm]);
  });

  const std::size_t deals_before = deals.size();  // this month's rounds add after these
  auto held_before = [&](std::size_t d, std::size_t i) {
    return d < deals_before && deals.status[d] == static_cast<std::uint8_t>(DealStatus::active) &&
           deals.firm_index[d] == static_cast<std::int32_t>(i);
  };
  struct Ticket {
    std::size_t fund;
    double amount;
    bool follow_on;
  };
  for (const Candidate& candidate : candidates) {
    const std::size_t i = candidate.firm;
    const auto park = static_cast<std::size_t>(firms.park[i]);
    const int round = std::min<int>(firms.rounds[i], round_count - 1);
    auto screen = [&](int kind) {  // guidance funds screen early rounds less strictly
      const double tilt =
          kind == static_cast<int>(FundKind::government) && round <= 1
              ? p.government_fund_early_tilt * ctx.policy.at(Lever::government_fund, park)
              : 0.0;
      return p.vc_screening[static_cast<std::size_t>(kind)] - tilt;
    };
    const double target = p.vc_round_size_cny[static_cast<std::size_t>(round)] *
                          std::clamp(std::exp(p.vc_round_size_signal_elasticity * candidate.signal),
                                     p.vc_round_size_factor_min, p.vc_round_size_factor_max);
    std::vector<Ticket> tickets;
    double raised = 0.0;
    // Insiders: each fund's summed stake, pro rata from its reserve, while the fund lives.
    std::map<std::size_t, double> stake_of;
    for (std::size_t d = 0; d < deals.size(); ++d) {
      if (held_before(d, i)) stake_of[static_cast<std::size_t>(deals.fund[d])] += deals.stake[d];
    }
    for (const auto& [f, stake] : stake_of) {
      if (year >= funds.vintage_year[f] + funds.lifetime_years[f]) continue;
      const double reserve = funds.size_cny[f] * p.vc_reserve_share - funds.follow_on_cny[f];
      const double amount = std::min(stake * target, reserve);
      if (amount <= 0.0) continue;
      tickets.push_back({f, amount, true});
      raised += amount;
    }
    // New investors: a lead and up to two co-investors.
    Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step,
                  Purpose::vc_screening);
    std::int64_t new_investors = 0;
    const std::size_t n_funds = funds.size();
    const std::size_t start = n_funds ? static_cast<std::size_t>(firms.id[i]) % n_funds : 0;
    for (std::size_t scan = 0;
         scan < n_funds && new_investors < p.vc_max_new_investors && raised < target; ++scan) {
      const std::size_t f = (start + scan) % n_funds;
      const bool investing =
          funds.open[f] && year < funds.vintage_year[f] + funds.investment_years[f];
      const bool ticketed =
          std::any_of(tickets.begin(), tickets.end(), [f](const Ticket& t) { return t.fund == f; });
      if (!investing || funds.deals_this_year[f] >= funds.deals_per_year[f] ||
          round < funds.first_round[f] || round > funds.last_round[f] ||
          candidate.signal < screen(funds.kind[f]) ||
          (funds.sector[f] != 255 && funds.sector[f] != firms.sector[i]) || ticketed) {
        continue;
      }
      // Declined for distance (no distances: none) or for not being hard tech.
      const double keeps = nearness(static_cast<std::size_t>(firms.park[i]),
                                    static_cast<std::size_t>(funds.park[f])) *
                           (is_leading(firms.sector[i]) ? 1.0 : 1.0 - funds.hard_tech[f]);
      if ((!is_leading(firms.sector[i]) || keeps < 1.0) && stream.uniform01() < 1.0 - keeps) {
        continue;
      }
      const double dry_powder = funds.size_cny[f] * (1.0 - p.vc_reserve_share) -
                                (funds.invested_cny[f] - funds.follow_on_cny[f]);
      const double ticket =
          std::min({target - raised, p.vc_max_ticket_share * funds.size_cny[f], dry_powder});
      if (ticket < p.vc_min_ticket_share * target) continue;
      tickets.push_back({f, ticket, false});
      raised += ticket;
      ++new_investors;
    }
    if (new_investors == 0) continue;

    // Book: guidance money crowds in private co-investors; earlier stakes are diluted.
    double government = 0.0;
    for (const Ticket& t : tickets) {
      if (funds.kind[t.fund] == static_cast<std::uint8_t>(FundKind::government)) {
        government += t.amount;
      }
    }
    const double crowded_in =
        (p.vc_government_leverage +
         p.government_fund_leverage_gain * ctx.policy.at(Lever::government_fund, park)) *
        government;
    const double total = raised + crowded_in;
    const double dilution = p.vc_dilution[static_cast<std::size_t>(round)];
    const double post_money = total / dilution;
    for (std::size_t d = 0; d < deals.size(); ++d) {
      if (held_before(d, i)) deals.stake[d] *= 1.0 - dilution;
    }
    for (const Ticket& t : tickets) {
      const std::size_t d = deals.size();
      deals.resize(d + 1);
      deals.id[d] = next_deal_id++;
      deals.fund[d] = funds.id[t.fund];
      deals.firm[d] = firms.id[i];
      deals.firm_index[d] = static_cast<std::int32_t>(i);
      deals.round[d] = static_cast<std::uint8_t>(round);
      deals.follow_on[d] = t.follow_on;
      deals.step[d] = static_cast<std::int32_t>(ctx.step);
      deals.amount_cny[d] = t.amount;
      deals.stake[d] = t.amount / post_money;
      deals.status[d] = static_cast<std::uint8_t>(DealStatus::active);
      deals.alive[d] = 1;
      funds.invested_cny[t.fund] += t.amount;
      if (t.follow_on) {
        funds.follow_on_cny[t.fund] += t.amount;
      } else {
        funds.deals_this_year[t.fund] += 1;
      }
    }
    firms.cash_cny[i] += total;
    firms.rounds[i] = static_cast<std::uint8_t>(std::min<int>(firms.rounds[i] + 1, 255));
    firms.last_round_step[i] = static_cast<std::int32_t>(ctx.step);
    firms.post_money_cny[i] = post_money;
    firms.valuation_cny[i] = post_money;
    firms.revenue_at_round_cny[i] = firms.revenue_cny[i];
    firms.vc_raised_cny[i] += total;
    const std::size_t c = cell_index(park, firms.sector[i]);
    flows.vc_invested[c] += total;
    flows.vc_rounds[c] += 1.0;
    flows.vc_invested_by_round[park * round_count + static_cast<std::size_t>(round)] += total;
  }
}

}  // namespace clustersim::reference
