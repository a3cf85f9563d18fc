#include "clustersim/phases/match_labour.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <span>

#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

// Markets are park x sector cells. Searchers and vacancies are bucketed by market (O(N)); within
// a market, sorted (O(N log N)) and paired rank with rank: the most skilled searcher meets the
// best-paid vacancy (assortative matching). Sort keys are copied next to the index, so the
// sorts run over contiguous memory rather than gathering from the agent columns.
struct Searcher {
  double skill;
  std::int64_t id;
  std::uint32_t index;
  std::int32_t employer_index;  // fills the padding; read here instead of in the columns
};
struct Employer {
  double productivity;
  std::int64_t id;
  std::uint32_t index;
  std::int32_t openings;
  double offer_cny;  // wage_offer of the firm, computed once for all its slots
};

// Every searcher, a market's contiguous: market m's are [begin[m], begin[m + 1]).
struct SearchersByMarket {
  std::vector<Searcher> searchers;
  std::vector<std::size_t> begin;
};

// Bucketed in parallel passes over blocks of talent: list each block's searchers (without
// branches: whether a person searches is a coin flip) and count them per market, then place
// each at its block's offset within its market.
SearchersByMarket bucket_searchers(const TalentArrays& talent, std::size_t n_cells,
                                   const Executor& executor) {
  const std::int16_t* const target_park = talent.target_park.data();
  const std::uint8_t* const sector = talent.sector.data();
  auto market_of = [&](std::size_t t) {
    return cell_index(static_cast<std::size_t>(target_park[t]), sector[t]);
  };
  const std::size_t blocks = Executor::block_count(talent.size());
  // Block b's from b * block_size. Not zero-filled: each block writes its part before reading
  // it, and filling 1.3 million entries at full scale was a serial pass of its own.
  const auto block_searchers = std::make_unique_for_overwrite<std::uint32_t[]>(talent.size());
  std::vector<std::size_t> searcher_count(blocks, 0);
  std::vector<std::size_t> offset(blocks * n_cells, 0);  // [block][market]
  executor.for_blocks(talent.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    const std::uint8_t* const alive = talent.alive.data();
    const std::uint8_t* const intent = talent.intent.data();
    std::uint32_t* const listed = block_searchers.get() + begin;
    std::size_t found = 0;
    for (std::size_t t = begin; t < end; ++t) {
      listed[found] = static_cast<std::uint32_t>(t);
      found += static_cast<std::size_t>(
          (alive[t] != 0) & (intent[t] == static_cast<std::uint8_t>(TalentIntent::search)));
    }
    searcher_count[b] = found;
    std::size_t* const counts = offset.data() + b * n_cells;
    for (std::size_t k = 0; k < found; ++k) ++counts[market_of(listed[k])];
  });
  SearchersByMarket by_market;
  by_market.begin.assign(n_cells + 1, 0);
  std::size_t placed = 0;
  for (std::size_t market = 0; market < n_cells; ++market) {
    by_market.begin[market] = placed;
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t count = offset[b * n_cells + market];
      offset[b * n_cells + market] = placed;
      placed += count;
    }
  }
  by_market.begin[n_cells] = placed;
  by_market.searchers.resize(placed);
  executor.for_blocks(talent.size(), [&](std::size_t b, std::size_t begin, std::size_t) {
    const double* const skill = talent.skill.data();
    const std::int64_t* const id = talent.id.data();
    const std::int32_t* const employer_index = talent.employer_index.data();
    const std::uint32_t* const listed = block_searchers.get() + begin;
    std::size_t* const next = offset.data() + b * n_cells;
    for (std::size_t k = 0; k < searcher_count[b]; ++k) {
      const std::uint32_t t = listed[k];
      by_market.searchers[next[market_of(t)]++] = {skill[t], id[t], t, employer_index[t]};
    }
  });
  return by_market;
}

// One market: the `pairs` most skilled searchers meet the openings, best offer first; the
// employed accept only a better wage. Returns the hires' arrivals by origin park.
std::vector<double> match_market(std::span<Searcher> seekers, std::vector<Employer>& hiring,
                                 std::size_t market, std::size_t n_parks, TalentArrays& talent,
                                 const ModelParameters& p, StepFlows& flows) {
  // Ids are unique, so both orders are total and do not depend on the bucketing order.
  // Offers rise with productivity; ties by firm id; a firm's slots stay together.
  std::sort(hiring.begin(), hiring.end(), [](const Employer& a, const Employer& b) {
    return a.productivity > b.productivity || (a.productivity == b.productivity && a.id < b.id);
  });
  std::vector<std::uint32_t> slots;  // positions in `hiring`, one per opening
  for (std::size_t e = 0; e < hiring.size(); ++e) {
    if (slots.size() >= seekers.size()) break;  // slots past the last searcher stay open
    hiring[e].offer_cny = wage_offer(hiring[e].productivity, p);
    slots.insert(slots.end(), static_cast<std::size_t>(hiring[e].openings),
                 static_cast<std::uint32_t>(e));
  }
  const std::size_t pairs = std::min(seekers.size(), slots.size());
  // Only the `pairs` most skilled meet a vacancy: those are selected, then put in order (the
  // same ranks as sorting everyone, since the order is total).
  auto more_skilled = [](const Searcher& a, const Searcher& b) {
    return a.skill > b.skill || (a.skill == b.skill && a.id < b.id);
  };
  if (pairs < seekers.size()) {
    std::nth_element(seekers.begin(), seekers.begin() + static_cast<std::ptrdiff_t>(pairs),
                     seekers.end(), more_skilled);
  }
  std::sort(seekers.begin(), seekers.begin() + static_cast<std::ptrdiff_t>(pairs), more_skilled);
  std::vector<double> moves(n_parks, 0.0);
  const auto park = static_cast<std::int16_t>(market / sector_count);
  // Ranks are in skill order, so the talent they touch are scattered over the columns: each
  // pair's cache lines are requested a few pairs ahead, or every pair would wait for memory in
  // turn.
  constexpr std::size_t prefetch_ahead = 12;
  for (std::size_t r = 0; r < pairs; ++r) {
    if (r + prefetch_ahead < pairs) {
      const std::uint32_t ahead = seekers[r + prefetch_ahead].index;
      __builtin_prefetch(&talent.employer[ahead], 1);
      __builtin_prefetch(&talent.employer_index[ahead], 1);
      __builtin_prefetch(&talent.park[ahead], 1);
      __builtin_prefetch(&talent.wage_cny[ahead], 1);
      __builtin_prefetch(&talent.months_seeking[ahead], 1);
    }
    const Searcher& seeker = seekers[r];
    const std::uint32_t t = seeker.index;
    const Employer& employer = hiring[slots[r]];
    const std::uint32_t f = employer.index;
    const double wage = employer.offer_cny * std::exp(p.talent_wage_skill_premium * seeker.skill);
    const bool employed = seeker.employer_index >= 0;
    if (employed && (seeker.employer_index == static_cast<std::int32_t>(f) ||
                     wage < talent.wage_cny[t] * (1.0 + p.talent_switch_premium))) {
      continue;  // not worth a move: the vacancy stays open this month
    }
    if (talent.park[t] != park) moves[static_cast<std::size_t>(talent.park[t])] += 1.0;
    talent.employer[t] = employer.id;
    talent.employer_index[t] = static_cast<std::int32_t>(f);
    talent.park[t] = park;
    talent.wage_cny[t] = wage;
    talent.months_seeking[t] = 0;
    flows.hires[market] += 1.0;
  }
  return moves;
}

// Firms with openings, by market, in firm order: listed per block of firms in parallel, then
// joined market by market, blocks in order.
std::vector<std::vector<Employer>> list_employers(const FirmArrays& firms, std::size_t n_cells,
                                                  const Executor& executor) {
  std::vector<std::vector<std::vector<Employer>>> listed(Executor::block_count(firms.size()));
  executor.for_blocks(firms.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    std::vector<std::vector<Employer>>& mine = listed[b];
    mine.resize(n_cells);
    for (std::size_t f = begin; f < end; ++f) {
      if (!firms.alive[f] || firms.staffing_gap[f] <= 0) continue;
      mine[cell_index(static_cast<std::size_t>(firms.park[f]), firms.sector[f])].push_back(
          {firms.productivity[f], firms.id[f], static_cast<std::uint32_t>(f), firms.staffing_gap[f],
           0.0});
    }
  });
  std::vector<std::vector<Employer>> employers(n_cells);
  executor.for_tasks(
      n_cells,
      [&](std::size_t market) {
        std::size_t count = 0;
        for (const auto& block : listed) count += block[market].size();
        employers[market].reserve(count);
        for (const auto& block : listed) {
          employers[market].insert(employers[market].end(), block[market].begin(),
                                   block[market].end());
        }
      },
      firms.size());
  return employers;
}

}  // namespace

void match_labour(TalentArrays& talent, const FirmArrays& firms, const StepContext& ctx,
                  StepFlows& flows) {
  const std::size_t n_cells = flows.hires.size();
  const std::size_t n_parks = n_cells / sector_count;
  SearchersByMarket by_market = bucket_searchers(talent, n_cells, ctx.executor);
  std::vector<std::vector<Employer>> employers = list_employers(firms, n_cells, ctx.executor);
  std::vector<std::vector<double>> moves(n_cells);  // per market: arrivals by origin park
  // On one thread when the talent fits in one block, as the bucketing passes above.
  ctx.executor.for_tasks(
      n_cells,
      [&](std::size_t market) {
        const auto seekers =
            std::span<Searcher>(by_market.searchers.data() + by_market.begin[market],
                                by_market.begin[market + 1] - by_market.begin[market]);
        if (seekers.empty() || employers[market].empty()) return;
        moves[market] =
            match_market(seekers, employers[market], market, n_parks, talent, ctx.params, flows);
      },
      talent.size());
  for (std::size_t market = 0; market < n_cells; ++market) {
    if (moves[market].empty()) continue;
    const std::size_t destination = market / sector_count;
    for (std::size_t origin = 0; origin < n_parks; ++origin) {
      flows.talent_moves[origin * n_parks + destination] += moves[market][origin];
    }
  }
}

}  // namespace clustersim
