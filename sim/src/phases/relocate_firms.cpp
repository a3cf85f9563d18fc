#include "clustersim/phases/relocate_firms.hpp"

#include <algorithm>
#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <map>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void relocate_firms(FirmArrays& firms, TalentArrays& talent, const Parks& parks,
                    const CellStats& cells, const StepContext& ctx, City& city, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_parks = parks.size();
  if (p.relocation_rate <= 0.0 || n_parks < 2) return;
  constexpr std::int16_t left_zone = -2;  // moved_to: left for the rest of the city
  // Each firm decides from its own state and last step's cells, so blocks decide in parallel;
  // the city's and the flows' sums are then taken serially in firm order.
  std::vector<std::int16_t> moved_to(firms.size(), -1);
  ctx.executor.for_blocks(firms.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    std::vector<double> cumulative(n_parks, 0.0);
    for (std::size_t i = begin; i < end; ++i) {
      // Incubatees stay in their incubator; chain leaders anchor their park's supply chain.
      if (!firms.alive[i] || firms.incubator[i] >= 0 ||
          firms.stage[i] == static_cast<std::uint8_t>(Stage::chain_leader)) {
        continue;
      }
      const auto home = static_cast<std::size_t>(firms.park[i]);
      const int sector = firms.sector[i];
      double pressure = congestion(cells.occupancy[home], p);
      if (is_leading(sector) && firms.staffing_gap[i] > 0) {
        const double wanted = firms.staffing_gap[i] + firms.employees[i];
        pressure = std::max(pressure, firms.staffing_gap[i] / wanted);
      }
      pressure = std::min(pressure, 1.0);
      if (pressure <= 0.0) continue;
      Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step,
                    Purpose::relocation);
      if (!happens_this_month(stream.uniform01(), p.relocation_rate * pressure)) continue;
      // Destinations: parks of the zone with room, talent (seekers) in the firm's industry, and
      // nearness (cross-park coordination lengthens the reach).
      const double distance_scale = p.relocation_distance_scale_km *
                                    (1.0 + p.coordination_distance_gain *
                                               ctx.policy.at(Lever::cross_park_coordination, home));
      double total = 0.0;
      for (std::size_t k = 0; k < n_parks; ++k) {
        if (k != home && parks.is_in_zone(k)) {
          const std::size_t c = cell_index(k, sector);
          total += space_factor(cells.occupancy[k], p) * (cells.seeking[c] + 1.0) *
                   std::exp(-parks.distance(home, k) / distance_scale);
        }
        cumulative[k] = total;
      }
      // The rest of the city competes for leading-industry firms of the zone; venture-backed
      // firms stay (their investors' stakes are in the zone's firms).
      const bool may_leave = is_leading(sector) && parks.is_in_zone(home) &&
                             firms.vc_raised_cny[i] <= 0.0 && p.city_relocation_out_share > 0.0;
      const double u_where = stream.uniform01();
      if (may_leave && u_where < p.city_relocation_out_share) {
        moved_to[i] = left_zone;
        continue;
      }
      if (total <= 0.0) continue;  // nowhere has room
      const double u =
          (may_leave ? (u_where - p.city_relocation_out_share) / (1.0 - p.city_relocation_out_share)
                     : u_where) *
          total;
      const auto k = static_cast<std::size_t>(
          std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
      if (k >= n_parks || k == home) continue;
      moved_to[i] = static_cast<std::int16_t>(k);
    }
  });
  bool any = false;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (moved_to[i] == -1) continue;
    any = true;
    const auto home = static_cast<std::size_t>(firms.park[i]);
    const int sector = firms.sector[i];
    if (moved_to[i] == left_zone) {
      firms.alive[i] = 0;
      firms.exit_route[i] = 3;
      flows.firms_left_zone[cell_index(home, sector)] += 1.0;
      city.outside_revenue_cny[static_cast<std::size_t>(sector)] += firms.revenue_cny[i] / p.scale;
      city.firms_moved_in += 1.0;
    } else {
      const auto k = static_cast<std::size_t>(moved_to[i]);
      firms.park[i] = moved_to[i];
      flows.firm_moves[home * n_parks + k] += 1.0;
    }
  }
  if (!any) return;
  // Their talent move with them (out of the zone's pool, for firms that left it). The counts
  // are whole numbers, so summing them per block in any order is exact.
  struct Moved {
    std::vector<double> left_zone, relocated;
  };
  const Moved zero{std::vector<double>(flows.talent_left_zone.size(), 0.0),
                   std::vector<double>(flows.talent_relocated.size(), 0.0)};
  const Moved moved = ctx.executor.reduce(
      talent.size(), zero,
      [&](Moved& part, std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t) {
          const std::int32_t e = talent.employer_index[t];
          if (!talent.alive[t] || e < 0) continue;
          const std::int16_t to = moved_to[static_cast<std::size_t>(e)];
          if (to >= 0) {
            part.relocated[static_cast<std::size_t>(talent.park[t]) * n_parks +
                           static_cast<std::size_t>(to)] += 1.0;
            talent.park[t] = to;
          } else if (to == left_zone) {
            talent.alive[t] = 0;
            talent.employer_index[t] = -1;
            part.left_zone[cell_index(static_cast<std::size_t>(talent.park[t]),
                                      talent.sector[t])] += 1.0;
          }
        }
      },
      [](Moved& sum, const Moved& part) {
        for (std::size_t c = 0; c < sum.left_zone.size(); ++c)
          sum.left_zone[c] += part.left_zone[c];
        for (std::size_t c = 0; c < sum.relocated.size(); ++c)
          sum.relocated[c] += part.relocated[c];
      });
  for (std::size_t c = 0; c < moved.left_zone.size(); ++c) {
    flows.talent_left_zone[c] += moved.left_zone[c];
  }
  for (std::size_t c = 0; c < moved.relocated.size(); ++c) {
    flows.talent_relocated[c] += moved.relocated[c];
  }
}

}  // namespace clustersim
