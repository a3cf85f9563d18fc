#include "clustersim/phases/relocate_firms.hpp"

#include <algorithm>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

constexpr std::int16_t left_zone = -2;  // moved_to: left for the rest of the city
constexpr std::int16_t stays = -1;

// The pressure on firm i to move (congestion of its park, or the unfilled share of the staff
// it wants), at most 1; 0 for incubatees (they stay in their incubator) and chain leaders (they
// anchor their park's supply chain).
inline double relocation_pressure(const FirmArrays& firms, std::size_t i, const CellStats& cells,
                                  const ModelParameters& p) {
  if (!firms.alive[i] || firms.incubator[i] >= 0 ||
      firms.stage[i] == static_cast<std::uint8_t>(Stage::chain_leader)) {
    return 0.0;
  }
  double pressure = congestion(cells.occupancy[static_cast<std::size_t>(firms.park[i])], p);
  if (is_leading(firms.sector[i]) && firms.staffing_gap[i] > 0) {
    const double wanted = firms.staffing_gap[i] + firms.employees[i];
    pressure = std::max(pressure, firms.staffing_gap[i] / wanted);
  }
  return std::min(pressure, 1.0);
}

// Where firm i, which moves this month, goes: a park of the zone with room, talent in its
// industry and nearness, or the rest of the city (left_zone), or nowhere (stays). `stream` is
// the firm's relocation stream after the draw that decided the move; `cumulative` is scratch.
std::int16_t destination(const FirmArrays& firms, std::size_t i, const Parks& parks,
                         const CellStats& cells, const StepContext& ctx, Stream& stream,
                         std::vector<double>& cumulative) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_parks = parks.size();
  const auto home = static_cast<std::size_t>(firms.park[i]);
  const int sector = firms.sector[i];
  // Cross-park coordination lengthens the reach.
  const double distance_scale =
      p.relocation_distance_scale_km *
      (1.0 + p.coordination_distance_gain * ctx.policy.at(Lever::cross_park_coordination, home));
  double total = 0.0;
  for (std::size_t k = 0; k < n_parks; ++k) {
    if (k != home && parks.is_in_zone(k)) {
      const std::size_t c = cell_index(k, sector);
      total += space_factor(cells.occupancy[k], p) * (cells.seeking[c] + 1.0) *
               std::exp(-parks.distance(home, k) / distance_scale);
    }
    cumulative[k] = total;
  }
  // The rest of the city competes for leading-industry firms of the zone; venture-backed firms
  // stay (their investors' stakes are in the zone's firms).
  const bool may_leave = is_leading(sector) && parks.is_in_zone(home) &&
                         firms.vc_raised_cny[i] <= 0.0 && p.city_relocation_out_share > 0.0;
  const double u_where = stream.uniform01();
  if (may_leave && u_where < p.city_relocation_out_share) return left_zone;
  if (total <= 0.0) return stays;  // nowhere has room
  const double u =
      (may_leave ? (u_where - p.city_relocation_out_share) / (1.0 - p.city_relocation_out_share)
                 : u_where) *
      total;
  const auto k = static_cast<std::size_t>(
      std::upper_bound(cumulative.begin(), cumulative.end(), u) - cumulative.begin());
  return k >= n_parks || k == home ? stays : static_cast<std::int16_t>(k);
}

// The moves, in firm order: a firm that left the zone is no longer alive and its revenue joins
// the rest of the city's. Returns whether any firm moved.
bool move_firms(FirmArrays& firms, const std::vector<std::int16_t>& moved_to, std::size_t n_parks,
                const ModelParameters& p, City& city, StepFlows& flows) {
  bool any = false;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (moved_to[i] == stays) continue;
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
  return any;
}

// Employed talent move with their firm (out of the zone's pool, for firms that left it). The
// counts are whole numbers, so summing them per block in any order is exact.
void move_staff(TalentArrays& talent, const std::vector<std::int16_t>& moved_to,
                std::size_t n_parks, const Executor& executor, StepFlows& flows) {
  struct Moved {
    std::vector<double> left_zone, relocated;
  };
  const Moved zero{std::vector<double>(flows.talent_left_zone.size(), 0.0),
                   std::vector<double>(flows.talent_relocated.size(), 0.0)};
  const Moved moved = executor.reduce(
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

}  // namespace

void relocate_firms(FirmArrays& firms, TalentArrays& talent, const Parks& parks,
                    const CellStats& cells, const StepContext& ctx, City& city, StepFlows& flows) {
  const std::size_t n_parks = parks.size();
  if (ctx.params.relocation_rate <= 0.0 || n_parks < 2) return;
  // Each firm decides from its own state and last step's cells, so blocks decide in parallel;
  // the city's and the flows' sums are then taken serially in firm order.
  std::vector<std::int16_t> moved_to(firms.size(), stays);
  ctx.executor.for_blocks(firms.size(), [&](std::size_t, std::size_t begin, std::size_t end) {
    std::vector<double> cumulative(n_parks, 0.0);
    for (std::size_t i = begin; i < end; ++i) {
      const double pressure = relocation_pressure(firms, i, cells, ctx.params);
      if (pressure <= 0.0) continue;
      Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step,
                    Purpose::relocation);
      if (!happens_this_month(stream.uniform01(), ctx.params.relocation_rate * pressure)) continue;
      moved_to[i] = destination(firms, i, parks, cells, ctx, stream, cumulative);
    }
  });
  if (move_firms(firms, moved_to, n_parks, ctx.params, city, flows)) {
    move_staff(talent, moved_to, n_parks, ctx.executor, flows);
  }
}

}  // namespace clustersim
