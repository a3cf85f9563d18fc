// Venture rounds (docs/model.md 3.3.20): firms seek money; funds screen their signals,
// existing investors follow on from reserves, a lead and co-investors fill the round, guidance
// funds crowd in private money, and the round is booked.
#include "clustersim/phases/vc_deals.hpp"

#include <algorithm>
#include <array>
#include <boost/random/normal_distribution.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"
#include "holdings.hpp"

namespace clustersim {
namespace {

// A firm that seeks a round this month, and the signal funds see.
struct Candidate {
  std::size_t firm;
  double signal;
};

// vc_proximity for every (firm's park, fund's home park), computed once a month: 22 x 22
// powers instead of one per fund scanned. Hand-built test parks have no distances: all 1.
class VcProximity {
 public:
  VcProximity(const Parks& parks, const ModelParameters& p)
      : n_(parks.distance_km.empty() ? 0 : parks.size()), table_(n_ * n_) {
    for (std::size_t k = 0; k < n_ * n_; ++k) table_[k] = vc_proximity(parks.distance_km[k], p);
  }
  double of(std::size_t firm_park, std::size_t fund_park) const {
    return firm_park < n_ && fund_park < n_ ? table_[firm_park * n_ + fund_park] : 1.0;
  }

 private:
  std::size_t n_;
  std::vector<double> table_;
};

// A fund's part of a round: a follow-on from its reserve or a new investment.
struct Ticket {
  std::size_t fund;
  double amount;
  bool follow_on;
};

// Deal flow by park: a firm gets in front of investors as often as the venture network within
// its reach allows. A park's reach is the sum of the investing funds' proximities to it; its
// factor is the reach over the mean reach of the firms that may seek, so the cluster's deal flow
// stays that of vc.seek_rate and only its spread over the parks follows the network.
std::vector<double> deal_flow_factors(const FirmArrays& firms, const FundArrays& funds,
                                      const VcProximity& proximity, std::size_t n_parks, int year,
                                      const ModelParameters& p, const Executor& executor) {
  std::vector<double> reach(n_parks, 0.0);
  for (std::size_t f = 0; f < funds.size(); ++f) {
    if (!funds.open[f] || year >= funds.vintage_year[f] + funds.investment_years[f]) continue;
    const auto home = static_cast<std::size_t>(funds.park[f]);
    for (std::size_t k = 0; k < n_parks; ++k) reach[k] += proximity.of(k, home);
  }
  // Counts only, so ranges in parallel give the serial totals whatever the grouping.
  const std::vector<double> may_seek = executor.reduce_counts(
      firms.size(), std::vector<double>(n_parks, 0.0),
      [&](std::vector<double>& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (firms.alive[i] && firms.exit_route[i] == 0 &&
              firms.age_months[i] <= p.vc_seek_max_age_months) {
            part[static_cast<std::size_t>(firms.park[i])] += 1.0;
          }
        }
      },
      [](std::vector<double>& sum, const std::vector<double>& part) {
        for (std::size_t k = 0; k < sum.size(); ++k) sum[k] += part[k];
      });
  double reached = 0.0, seekers = 0.0;
  for (std::size_t k = 0; k < n_parks; ++k) {
    reached += may_seek[k] * reach[k];
    seekers += may_seek[k];
  }
  std::vector<double> factor(n_parks, 1.0);
  if (reached <= 0.0) return factor;  // no investing fund: vc.seek_rate as it is
  const double mean_reach = reached / seekers;
  for (std::size_t k = 0; k < n_parks; ++k) factor[k] = reach[k] / mean_reach;
  return factor;
}

// Seek: young private firms, some months after their last round, with a monthly chance by
// park (its deal flow), sector and incubation; each draws the noise of its signal. Most
// promising first.
std::vector<Candidate> seek_rounds(const FirmArrays& firms, const StepContext& ctx,
                                   const std::vector<double>& momentum,
                                   const std::vector<double>& deal_flow) {
  const std::size_t n_parks = deal_flow.size();
  const ModelParameters& p = ctx.params;
  // The monthly chance to seek, per park, for (leading sector?, incubated?): a few values
  // instead of a power per firm.
  std::vector<std::array<double, 4>> seek_probability(n_parks);
  for (std::size_t k = 0; k < n_parks; ++k) {
    for (int leading = 0; leading < 2; ++leading) {
      for (int incubated = 0; incubated < 2; ++incubated) {
        // Incubation-investment linkage: incubatees meet investors more often.
        const double rate = p.vc_seek_rate * deal_flow[k] *
                            (leading ? 1.0 : p.vc_non_leading_seek_factor) *
                            (incubated ? 1.0 + p.incubation_investment_seek_gain *
                                                   ctx.policy.at(Lever::incubation_investment, k)
                                       : 1.0);
        seek_probability[k][static_cast<std::size_t>(leading * 2 + incubated)] =
            monthly_probability(rate);
      }
    }
  }
  // Blocks of firms draw in parallel; their candidates are joined in block order.
  std::vector<std::vector<Candidate>> block_candidates(Executor::block_count(firms.size()));
  // Ages and steps as the columns hold them (int32, uint32), so the test per firm is one compare.
  const auto max_age =
      static_cast<std::int32_t>(std::min<std::int64_t>(p.vc_seek_max_age_months, INT32_MAX));
  const auto months_between =
      static_cast<std::uint32_t>(std::min<std::int64_t>(p.vc_months_between_rounds, UINT32_MAX));
  ctx.executor.for_blocks(firms.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    BatchedStreams streams(ctx.seed, firms.id.data(), end, ctx.step, Purpose::vc_seek);
    for (std::size_t i = begin; i < end; ++i) {
      if (!firms.alive[i] || firms.exit_route[i] != 0 || firms.age_months[i] > max_age) continue;
      if (firms.last_round_step[i] > 0 &&
          ctx.step - static_cast<std::uint32_t>(firms.last_round_step[i]) < months_between) {
        continue;
      }
      Stream stream = streams.at(i);
      const auto park = static_cast<std::size_t>(firms.park[i]);
      const std::size_t kind =
          (is_leading(firms.sector[i]) ? 2u : 0u) + (firms.incubator[i] >= 0 ? 1u : 0u);
      if (stream.uniform01() >= seek_probability[park][kind]) continue;
      boost::random::normal_distribution<double> noise(0.0, p.vc_signal_noise);
      const std::size_t c = cell_index(park, firms.sector[i]);
      const double signal =
          std::log(firms.productivity[i]) + firms.team_skill[i] +
          p.vc_signal_revenue_weight * std::log(firms.revenue_cny[i] / p.entry_median_revenue_cny) +
          p.vc_momentum_weight * momentum[c] + noise(stream) +
          p.evaluation_priority_signal * ctx.policy.priority(park);
      block_candidates[b].push_back({i, signal});
    }
  });
  std::vector<Candidate> candidates;
  for (const auto& block : block_candidates) {
    candidates.insert(candidates.end(), block.begin(), block.end());
  }
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    return a.signal > b.signal || (a.signal == b.signal && firms.id[a.firm] < firms.id[b.firm]);
  });
  return candidates;
}

// The funds a round's scan visits: of those that may make new deals this year (open, in their
// investment period), those of a kind whose screen the signal passes (a bit per kind), leading
// the round, with deals left this year. Built on first use for each (kinds, round) and kept in
// index order; a fund leaves them when its deals for the year run out (deals only add up within
// the month). The funds left out are those the scan would pass over without a draw, so
// decisions do not depend on the lists (tests/cpp/reference/vc_deals.cpp scans every fund).
class FundScan {
 public:
  FundScan(const FundArrays& funds, int year) : funds_(funds) {
    for (std::size_t f = 0; f < funds.size(); ++f) {
      if (funds.open[f] && year < funds.vintage_year[f] + funds.investment_years[f]) {
        investing_.push_back(f);
      }
    }
  }
  bool has_deals_left(std::size_t f) const {
    return funds_.deals_this_year[f] < funds_.deals_per_year[f];
  }
  const std::vector<std::size_t>& funds_to_scan(unsigned kinds, int round) {
    const std::size_t key = kinds * round_count + static_cast<std::size_t>(round);
    if (!built_[key]) {
      for (const std::size_t f : investing_) {
        if (((kinds >> funds_.kind[f]) & 1u) && round >= funds_.first_round[f] &&
            round <= funds_.last_round[f] && has_deals_left(f)) {
          lists_[key].push_back(f);
        }
      }
      built_[key] = 1;
    }
    return lists_[key];
  }
  // After a new deal of fund f: it leaves every list once its deals for the year run out.
  void counted_deal(std::size_t f) {
    if (has_deals_left(f)) return;
    for (std::vector<std::size_t>& list : lists_) {
      const auto at = std::lower_bound(list.begin(), list.end(), f);
      if (at != list.end() && *at == f) list.erase(at);
    }
  }

 private:
  static constexpr std::size_t kind_masks = std::size_t{1} << fund_kind_count;
  const FundArrays& funds_;
  std::vector<std::size_t> investing_;
  std::vector<std::vector<std::size_t>> lists_ =
      std::vector<std::vector<std::size_t>>(kind_masks * round_count);
  std::vector<std::uint8_t> built_ = std::vector<std::uint8_t>(kind_masks * round_count, 0);
};

// Insiders: each fund holding the firm takes its pro-rata share of the round from its reserve,
// one ticket per fund for the sum of its stakes (in deal order), funds in index order, while the
// fund lives. Returns the amount raised.
double follow_on_tickets(const Holdings& by_firm, std::size_t i, const FundArrays& funds,
                         const DealArrays& deals, const ModelParameters& p, int year, double target,
                         std::vector<std::pair<std::size_t, double>>& stake_of,
                         std::vector<Ticket>& tickets) {
  stake_of.clear();
  for (std::uint32_t d : by_firm.of(i)) {
    const auto fund = static_cast<std::size_t>(deals.fund[d]);
    auto held = std::find_if(stake_of.begin(), stake_of.end(),
                             [fund](const auto& entry) { return entry.first == fund; });
    if (held == stake_of.end()) {
      stake_of.emplace_back(fund, deals.stake[d]);
    } else {
      held->second += deals.stake[d];
    }
  }
  std::sort(stake_of.begin(), stake_of.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double raised = 0.0;
  for (const auto& [f, stake] : stake_of) {
    if (year >= funds.vintage_year[f] + funds.lifetime_years[f]) continue;
    const double reserve = funds.size_cny[f] * p.vc_reserve_share - funds.follow_on_cny[f];
    const double amount = std::min(stake * target, reserve);
    if (amount <= 0.0) continue;
    tickets.push_back({f, amount, true});
    raised += amount;
  }
  return raised;
}

// Books the round of firm i: guidance money crowds in private co-investors, earlier stakes are
// diluted, one deal per ticket, and the firm's, funds' and cell's accounts.
void book_round(std::size_t i, int round, const std::vector<Ticket>& tickets, double raised,
                const Holdings& by_firm, FirmArrays& firms, FundArrays& funds, DealArrays& deals,
                FundScan& scan, const StepContext& ctx, std::int64_t& next_deal_id,
                StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const auto park = static_cast<std::size_t>(firms.park[i]);
  double government = 0.0;
  for (const Ticket& t : tickets) {
    if (funds.kind[t.fund] == static_cast<std::uint8_t>(FundKind::government)) {
      government += t.amount;
    }
  }
  // Private co-investors; the government fund lever raises the leverage.
  const double crowded_in =
      (p.vc_government_leverage +
       p.government_fund_leverage_gain * ctx.policy.at(Lever::government_fund, park)) *
      government;
  const double total = raised + crowded_in;
  const double dilution = p.vc_dilution[static_cast<std::size_t>(round)];
  const double post_money = total / dilution;
  for (std::uint32_t d : by_firm.of(i)) deals.stake[d] *= 1.0 - dilution;
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
      scan.counted_deal(t.fund);
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

}  // namespace

void vc_deals(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const Parks& parks,
              const StepContext& ctx, int year, const std::vector<double>& momentum,
              std::int64_t& next_deal_id, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const VcProximity proximity(parks, p);
  const std::vector<Candidate> candidates =
      seek_rounds(firms, ctx, momentum,
                  deal_flow_factors(firms, funds, proximity, flows.hires.size() / sector_count,
                                    year, p, ctx.executor));
  const Holdings by_firm = holdings_by_firm(deals, firms.size());
  FundScan scan(funds, year);
  std::vector<Ticket> tickets;
  std::vector<std::pair<std::size_t, double>> stake_of;  // fund, summed stake; by fund
  // In locals: the scan's stores of doubles (tickets) may alias the parameters' doubles.
  const std::int64_t max_new_investors = p.vc_max_new_investors;
  const double min_ticket_share = p.vc_min_ticket_share, max_ticket_share = p.vc_max_ticket_share,
               reserve_share = p.vc_reserve_share;
  for (const Candidate& candidate : candidates) {
    const std::size_t i = candidate.firm;
    const int round = std::min<int>(firms.rounds[i], round_count - 1);
    // Screen: the government fund lever tilts guidance funds to early rounds (they screen seed
    // and A rounds less strictly). Below every kind's screen no fund leads: no round to price.
    const std::size_t firm_park = static_cast<std::size_t>(firms.park[i]);
    const bool leading = is_leading(firms.sector[i]);
    auto screen = [&](int kind) {
      const double tilt =
          kind == static_cast<int>(FundKind::government) && round <= 1
              ? p.government_fund_early_tilt * ctx.policy.at(Lever::government_fund, firm_park)
              : 0.0;
      return p.vc_screening[static_cast<std::size_t>(kind)] - tilt;
    };
    unsigned screens_passed = 0;  // a bit per fund kind
    for (int kind = 0; kind < fund_kind_count; ++kind) {
      if (candidate.signal >= screen(kind)) screens_passed |= 1u << kind;
    }
    if (screens_passed == 0) continue;
    const double target = p.vc_round_size_cny[static_cast<std::size_t>(round)] *
                          std::clamp(std::exp(p.vc_round_size_signal_elasticity * candidate.signal),
                                     p.vc_round_size_factor_min, p.vc_round_size_factor_max);
    tickets.clear();
    double raised = follow_on_tickets(by_firm, i, funds, deals, p, year, target, stake_of, tickets);
    // Syndicate: a lead and co-investors, scanned from a firm-dependent start (wrapping around)
    // so that deals spread over funds.
    Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step,
                  Purpose::vc_screening);
    std::int64_t new_investors = 0;
    const std::size_t start =
        funds.size() ? static_cast<std::size_t>(firms.id[i]) % funds.size() : 0;
    const std::vector<std::size_t>& scanned = scan.funds_to_scan(screens_passed, round);
    const std::size_t first = static_cast<std::size_t>(
        std::lower_bound(scanned.begin(), scanned.end(), start) - scanned.begin());
    for (std::size_t k = 0;
         k < scanned.size() && new_investors < max_new_investors && raised < target; ++k) {
      const std::size_t f = scanned[(first + k) % scanned.size()];
      if (!scan.has_deals_left(f) || round < funds.first_round[f] || round > funds.last_round[f] ||
          candidate.signal < screen(funds.kind[f]) ||
          (funds.sector[f] != 255 && funds.sector[f] != firms.sector[i]) ||
          std::any_of(tickets.begin(), tickets.end(),
                      [f](const Ticket& t) { return t.fund == f; })) {  // once per round
        continue;
      }
      // Declined: a firm outside the fund's reach (distance) or outside hard tech.
      const double keeps = proximity.of(firm_park, static_cast<std::size_t>(funds.park[f])) *
                           (leading ? 1.0 : 1.0 - funds.hard_tech[f]);
      if ((!leading || keeps < 1.0) && stream.uniform01() < 1.0 - keeps) continue;
      const double dry_powder = funds.size_cny[f] * (1.0 - reserve_share) -
                                (funds.invested_cny[f] - funds.follow_on_cny[f]);
      const double ticket =
          std::min({target - raised, max_ticket_share * funds.size_cny[f], dry_powder});
      if (ticket < min_ticket_share * target) continue;
      tickets.push_back({f, ticket, false});
      raised += ticket;
      ++new_investors;
    }
    if (new_investors == 0) continue;  // no lead: no round (insiders alone do not price one)
    book_round(i, round, tickets, raised, by_firm, firms, funds, deals, scan, ctx, next_deal_id,
               flows);
  }
}

}  // namespace clustersim
