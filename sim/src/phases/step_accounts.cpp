#include "clustersim/phases/step_accounts.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "clustersim/errors.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

// Sum over the sectors of park k of a per-cell flow, and the net inflow of a park x park flow.
double park_sum(const std::vector<double>& per_cell, std::size_t k) {
  double sum = 0.0;
  for (int s = 0; s < sector_count; ++s) sum += per_cell[cell_index(k, s)];
  return sum;
}
double net_inflow(const std::vector<double>& park_by_park, std::size_t k, std::size_t n_parks) {
  double net = 0.0;
  for (std::size_t other = 0; other < n_parks; ++other) {
    if (other == k) continue;
    net += park_by_park[other * n_parks + k] - park_by_park[k * n_parks + other];
  }
  return net;
}

}  // namespace

StepAccounts take_accounts(const FirmArrays& firms, const TalentArrays& talent, std::size_t n_parks,
                           const Executor& executor, std::size_t cash_rows,
                           const StepAccounts* counted) {
  struct Partial {
    std::vector<std::int64_t> by_park;
    double cash = 0.0, cash_scale = 0.0;
  };
  const std::size_t rows = std::min(cash_rows, firms.size());
  const Partial zero{std::vector<std::int64_t>(n_parks, 0)};
  const Partial firm_total = executor.reduce(
      firms.size(), zero,
      [&](Partial& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (counted == nullptr && firms.alive[i]) {
            ++part.by_park[static_cast<std::size_t>(firms.park[i])];
          }
          if (i < rows) {
            part.cash += firms.cash_cny[i];
            part.cash_scale += std::abs(firms.cash_cny[i]);
          }
        }
      },
      [](Partial& sum, const Partial& part) {
        for (std::size_t k = 0; k < sum.by_park.size(); ++k) sum.by_park[k] += part.by_park[k];
        sum.cash += part.cash;
        sum.cash_scale += part.cash_scale;
      });
  if (counted != nullptr) {
    return {counted->firms_by_park, counted->talent_by_park, rows, firm_total.cash,
            firm_total.cash_scale};
  }
  const Partial talent_total = executor.reduce(
      talent.size(), zero,
      [&](Partial& part, std::size_t begin, std::size_t end) {
        // Four interleaved tallies: neighbours are often in the same park, and one tally would
        // chain every increment through the same memory. Integer counts, so the same totals.
        std::vector<std::int64_t> tally(4 * n_parks, 0);
        for (std::size_t t = begin; t < end; ++t) {
          tally[(t & 3u) * n_parks + static_cast<std::size_t>(talent.park[t])] += talent.alive[t];
        }
        for (std::size_t k = 0; k < n_parks; ++k) {
          part.by_park[k] +=
              tally[k] + tally[n_parks + k] + tally[2 * n_parks + k] + tally[3 * n_parks + k];
        }
      },
      [](Partial& sum, const Partial& part) {
        for (std::size_t k = 0; k < sum.by_park.size(); ++k) sum.by_park[k] += part.by_park[k];
      });
  return {firm_total.by_park, talent_total.by_park, rows, firm_total.cash, firm_total.cash_scale};
}

void check_step_accounts(const StepAccounts& before, const StepAccounts& after,
                         const StepFlows& flows, const Parks& parks, std::uint32_t step) {
  const std::size_t n_parks = parks.size();
  auto fail = [&](const std::string& what) {
    throw InvariantError("invariant broken in the accounts of step " + std::to_string(step) + ": " +
                         what);
  };
  for (std::size_t k = 0; k < n_parks; ++k) {
    // Flows are counts of agents held as doubles; they are whole numbers well below 2^53.
    const double firms_expected = static_cast<double>(before.firms_by_park[k]) +
                                  park_sum(flows.entries, k) - park_sum(flows.exits, k) -
                                  park_sum(flows.firms_left_zone, k) +
                                  net_inflow(flows.firm_moves, k, n_parks);
    if (firms_expected != static_cast<double>(after.firms_by_park[k])) {
      std::ostringstream what;
      what << "park " << parks.id[k] << " has " << after.firms_by_park[k] << " living firms, but "
           << before.firms_by_park[k] << " before the step + entries " << park_sum(flows.entries, k)
           << " - exits " << park_sum(flows.exits, k) << " - moves out of the zone "
           << park_sum(flows.firms_left_zone, k) << " + net moves in "
           << net_inflow(flows.firm_moves, k, n_parks) << " = " << firms_expected;
      fail(what.str());
    }
    const double talent_expected =
        static_cast<double>(before.talent_by_park[k]) + park_sum(flows.talent_arrivals, k) -
        park_sum(flows.talent_departures, k) - park_sum(flows.talent_left_zone, k) +
        net_inflow(flows.talent_moves, k, n_parks) + net_inflow(flows.talent_relocated, k, n_parks);
    if (talent_expected != static_cast<double>(after.talent_by_park[k])) {
      std::ostringstream what;
      what << "park " << parks.id[k] << " has " << after.talent_by_park[k] << " talent, but "
           << before.talent_by_park[k] << " before the step + arrivals "
           << park_sum(flows.talent_arrivals, k) << " - departures "
           << park_sum(flows.talent_departures, k) << " - leaving with their firm "
           << park_sum(flows.talent_left_zone, k) << " + net moves in "
           << net_inflow(flows.talent_moves, k, n_parks) << " + net moves with firms "
           << net_inflow(flows.talent_relocated, k, n_parks) << " = " << talent_expected;
      fail(what.str());
    }
  }
  // Cash of the firms that existed before the step: only operations and VC rounds move it. The
  // sums are taken in different orders, so they agree to rounding of the size of the terms.
  double vc = 0.0;
  for (double v : flows.vc_invested) vc += v;
  const double change = after.cash_cny - before.cash_cny;
  const double expected = flows.operating_cash_cny + vc;
  const double tolerance = 1e-9 * (before.cash_scale_cny + after.cash_scale_cny +
                                   std::abs(flows.operating_cash_cny) + vc) +
                           1.0;
  if (!(std::abs(change - expected) <= tolerance)) {
    std::ostringstream what;
    what.precision(17);
    what << "the firms' cash changed by " << change << " CNY, but operations brought "
         << flows.operating_cash_cny << " and VC rounds " << vc << " (difference "
         << change - expected << ", tolerance " << tolerance << ")";
    fail(what.str());
  }
}

}  // namespace clustersim
