#include <algorithm>
#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <map>

#include "clustersim/core/random.hpp"
#include "clustersim/phases/phases.hpp"

namespace clustersim {

double rd_intensity(int sector, std::size_t park, const ModelParameters& p,
                    const PolicyState& policy) {
  return p.rd_intensity[static_cast<std::size_t>(sector)] *
         (1.0 + p.ip_protection_rd_gain * policy.at(Lever::ip_protection, park));
}

void innovate(FirmArrays& firms, const CellStats& cells, const StepContext& ctx, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const double dt = 1.0 / months_per_year;
  struct Partial {
    std::vector<double> innovations, patents, pct;
  };
  const std::size_t n_cells = flows.patents.size();
  const Partial zero{std::vector<double>(n_cells), std::vector<double>(n_cells),
                     std::vector<double>(n_cells)};
  // Levers per cell: IP protection (R&D intensity), choke-point competitions (innovation rate of
  // IC and AI), open-innovation centres (catch-up with the chain leader); factors are exactly 1
  // when the levers are off.
  std::vector<double> intensity_of(n_cells), rate_factor(n_cells, 1.0), chain_factor(n_cells);
  std::vector<double> consortia_factor(n_cells / sector_count);
  for (std::size_t c = 0; c < n_cells; ++c) {
    const std::size_t park = c / sector_count;
    const int sector = static_cast<int>(c % sector_count);
    intensity_of[c] = rd_intensity(sector, park, p, ctx.policy);
    if (sector == static_cast<int>(Sector::ic) || sector == static_cast<int>(Sector::ai)) {
      rate_factor[c] =
          1.0 + p.choke_point_innovation_gain * ctx.policy.at(Lever::choke_point, park);
    }
    chain_factor[c] =
        1.0 + p.open_innovation_spillover_gain * ctx.policy.at(Lever::open_innovation, park);
    consortia_factor[park] =
        1.0 + p.consortia_innovation_gain * ctx.policy.at(Lever::consortia, park);
  }
  const Partial total = ctx.executor.reduce(
      firms.size(), zero,
      [&](Partial& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (!firms.alive[i]) continue;
          const std::size_t c =
              cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
          const double intensity = intensity_of[c];
          const double rd_month = intensity * firms.revenue_cny[i] * dt;
          Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step,
                        Purpose::innovation);
          double log_productivity = std::log(firms.productivity[i]);
          // Innovation: a jump with probability 1 - exp(-rate x intensity x dt), the same for
          // firms of any size that spend the same share (no runaway of the largest).
          const bool leads = firms.stage[i] == static_cast<std::uint8_t>(Stage::large) ||
                             firms.stage[i] == static_cast<std::uint8_t>(Stage::chain_leader);
          const double rate = p.rd_innovation_rate * rate_factor[c] *
                              (leads ? consortia_factor[firms.park[i]] : 1.0);
          // 1 - exp(-x) never exceeds x: draws above x (with a margin for rounding) skip the
          // exponential.
          const double hazard = rate * intensity * dt;
          const double u_innovation = stream.uniform01();
          if (u_innovation < hazard * (1.0 + 1e-9) &&
              u_innovation < 1.0 - std::exp(-rate * intensity * dt)) {
            boost::random::exponential_distribution<double> jump(1.0 / p.rd_innovation_step);
            log_productivity += jump(stream);
            part.innovations[c] += 1.0;
          }
          // Supplier upgrading toward the chain leader of the park and industry.
          const double leader = cells.chain_leader_log_productivity[c];
          if (firms.stage[i] != static_cast<std::uint8_t>(Stage::chain_leader) &&
              leader > log_productivity) {
            log_productivity +=
                p.rd_chain_spillover * chain_factor[c] * dt * (leader - log_productivity);
          }
          firms.productivity[i] = std::exp(log_productivity);
          // Patent applications, some of them under the PCT.
          const double expected = rd_month / p.rd_cost_per_patent_cny;
          auto draw = [&stream](double mean) {
            if (mean <= 0.0) return 0.0;
            boost::random::poisson_distribution<std::int64_t, double> count(mean);
            return static_cast<double>(count(stream));
          };
          const double pct = draw(expected * p.rd_pct_share);
          const double other = draw(expected * (1.0 - p.rd_pct_share));
          part.pct[c] += pct;
          part.patents[c] += pct + other;
        }
      },
      [](Partial& sum, const Partial& part) {
        for (std::size_t c = 0; c < sum.patents.size(); ++c) {
          sum.innovations[c] += part.innovations[c];
          sum.patents[c] += part.patents[c];
          sum.pct[c] += part.pct[c];
        }
      });
  for (std::size_t c = 0; c < n_cells; ++c) {
    flows.innovations[c] += total.innovations[c];
    flows.patents[c] += total.patents[c];
    flows.pct_applications[c] += total.pct[c];
  }
}

void award_titles(FirmArrays& firms, const ModelParameters& p, const Executor& executor) {
  // Blocks of firms gather each sector's productivities and each cell's largest candidate for
  // chain leader in parallel. Neither result depends on how the blocks are combined: the k-th
  // smallest value does not depend on the order of the values, and the largest firm is the
  // maximum of a total order (revenue, then id).
  struct Partial {
    std::array<std::vector<double>, sector_count> productivity;
    std::vector<std::int64_t> largest;  // per cell: firm index, -1 if none
  };
  auto larger = [&](std::int64_t a, std::int64_t b) {  // firm a beats firm b (b may be none)
    if (b < 0) return true;
    const auto i = static_cast<std::size_t>(a), j = static_cast<std::size_t>(b);
    return firms.revenue_cny[i] > firms.revenue_cny[j] ||
           (firms.revenue_cny[i] == firms.revenue_cny[j] && firms.id[i] < firms.id[j]);
  };
  auto keep_larger = [&](std::vector<std::int64_t>& largest, std::size_t c, std::int64_t i) {
    if (largest.size() <= c) largest.resize(c + 1, -1);
    if (i >= 0 && larger(i, largest[c])) largest[c] = i;
  };
  Partial found = executor.reduce(
      firms.size(), Partial{},
      [&](Partial& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (!firms.alive[i]) continue;
          part.productivity[firms.sector[i]].push_back(firms.productivity[i]);
          // A unicorn keeps its title and does not block its cell's next-largest firm.
          if (!is_leading(firms.sector[i]) ||
              firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn) ||
              firms.revenue_cny[i] < p.chain_leader_min_revenue_cny) {
            continue;
          }
          keep_larger(part.largest,
                      cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]),
                      static_cast<std::int64_t>(i));
        }
      },
      [&](Partial& total, const Partial& part) {
        for (std::size_t s = 0; s < sector_count; ++s) {
          total.productivity[s].insert(total.productivity[s].end(), part.productivity[s].begin(),
                                       part.productivity[s].end());
        }
        for (std::size_t c = 0; c < part.largest.size(); ++c) {
          keep_larger(total.largest, c, part.largest[c]);
        }
      });
  // Each sector's productivity quantile among living firms (hidden champions are world class).
  std::array<double, sector_count> quantile{};
  for (std::size_t s = 0; s < sector_count; ++s) {
    std::vector<double>& values = found.productivity[s];
    if (values.empty()) continue;
    const auto k = static_cast<std::size_t>(p.hidden_champion_productivity_quantile *
                                            static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
    quantile[s] = values[k];
  }
  // Chain leaders: the largest leading-industry firm of each park x sector, above the bound.
  std::vector<std::uint8_t> leader(firms.size(), 0);
  for (const std::int64_t i : found.largest) {
    if (i >= 0) leader[static_cast<std::size_t>(i)] = 1;
  }

  executor.for_each(firms.size(), [&](std::size_t i) {
    if (!firms.alive[i] || firms.stage[i] == static_cast<std::uint8_t>(Stage::unicorn)) return;
    const double revenue = firms.revenue_cny[i];
    const double age_years = firms.age_months[i] / months_per_year;
    Stage title;
    if (leader[i]) {
      title = Stage::chain_leader;
    } else if (revenue >= p.hidden_champion_min_revenue_cny &&
               revenue <= p.hidden_champion_max_revenue_cny &&
               age_years >= p.hidden_champion_min_age_years &&
               firms.productivity[i] >= quantile[firms.sector[i]]) {
      title = Stage::hidden_champion;
    } else if (revenue >= p.little_giant_min_revenue_cny && revenue < p.stage_large_revenue_cny &&
               age_years >= p.little_giant_min_age_years &&
               p.rd_intensity[firms.sector[i]] >= p.rd_little_giant_min_intensity) {
      title = Stage::little_giant;
    } else {
      const auto current = static_cast<Stage>(firms.stage[i]);
      title = classify_stage(revenue, firms.age_months[i],
                             current > Stage::large ? Stage::growth : current, p);
    }
    firms.stage[i] = static_cast<std::uint8_t>(title);
  });
}

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
