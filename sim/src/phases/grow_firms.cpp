#include <algorithm>
#include <array>
#include <boost/random/laplace_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/phases/phases.hpp"

namespace clustersim {

void grow_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  const double dt = 1.0 / months_per_year;
  const double sqrt_dt = std::sqrt(dt);
  // Crowded parks slow every firm in them by the same drift penalty (rents, waiting for
  // space), which keeps growth rates independent of size (Gibrat) while occupancy is bounded.
  std::vector<double> park_congestion_drift(parks.size());
  for (std::size_t k = 0; k < parks.size(); ++k) {
    park_congestion_drift[k] = p.congestion_penalty * congestion(cells.occupancy[k], p);
  }

  // Employment-weighted mean log productivity of each sector in the zone.
  std::array<double, sector_count> sector_mean{}, sector_employees{};
  for (std::size_t k = 0; k < parks.size(); ++k) {
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(k, s);
      sector_mean[s] += cells.employees[c] * cells.log_productivity_mean[c];
      sector_employees[s] += cells.employees[c];
    }
  }
  for (int s = 0; s < sector_count; ++s) {
    if (sector_employees[s] > 0) sector_mean[s] /= sector_employees[s];
  }

  ctx.executor.for_each(firms.size(), [&](std::size_t i) {
    if (!firms.alive[i]) return;
    const auto id = static_cast<std::uint64_t>(firms.id[i]);
    const std::size_t park = static_cast<std::size_t>(firms.park[i]);
    const std::size_t c = cell_index(park, firms.sector[i]);
    firms.age_months[i] += 1;

    // Productivity: random innovations plus catch-up toward the park-sector mean (spillovers).
    Stream productivity_stream(ctx.seed, id, ctx.step, Purpose::productivity);
    boost::random::normal_distribution<double> innovation(0.0, 1.0);
    double log_productivity = std::log(firms.productivity[i]);
    log_productivity +=
        p.productivity_spillover_rate * dt * (cells.log_productivity_mean[c] - log_productivity) +
        p.productivity_volatility * sqrt_dt * innovation(productivity_stream);
    firms.productivity[i] = std::exp(log_productivity);

    // Revenue: Gibrat-like multiplicative growth with Laplace shocks whose scale falls with size.
    Stream growth_stream(ctx.seed, id, ctx.step, Purpose::growth);
    boost::random::laplace_distribution<double> shock(0.0, 1.0 / std::sqrt(2.0));  // unit variance
    const double revenue = firms.revenue_cny[i];
    const double age_years = firms.age_months[i] / months_per_year;
    // Productivity counts relative to the sector's zone mean: better firms gain share, while
    // innovation that lifts everyone does not by itself speed up the whole zone.
    const double relative_productivity = log_productivity - sector_mean[firms.sector[i]];
    const double drift = p.growth_drift + p.growth_productivity_effect * relative_productivity +
                         p.growth_agglomeration_effect *
                             std::log1p(cells.employees[c] / p.agglomeration_ref_employees) +
                         p.growth_young_bonus * std::exp(-age_years / p.growth_young_decay_years) -
                         park_congestion_drift[park] +
                         // Money from a recent round lets a firm hire and scale.
                         (firms.last_round_step[i] > 0 &&
                                  ctx.step - static_cast<std::uint32_t>(firms.last_round_step[i]) <=
                                      static_cast<std::uint32_t>(p.vc_boost_months)
                              ? p.vc_growth_boost
                              : 0.0);
    const double volatility =
        std::clamp(p.volatility_ref * std::pow(revenue / p.volatility_ref_revenue_cny,
                                               -p.volatility_size_exponent),
                   p.volatility_min, p.volatility_max);
    const double log_growth = drift * dt + volatility * sqrt_dt * shock(growth_stream);
    const double potential = revenue * std::exp(log_growth);
    const double per_employee = p.revenue_per_employee_cny * firms.productivity[i];

    if (is_leading(firms.sector[i])) {
      // Talent-staffed: the staff wanted follows potential revenue; realised revenue cannot run
      // more than the capacity slack above what the current staff produce.
      const std::int32_t staff = firms.employees[i];
      const double wanted = std::ceil(std::min(potential / per_employee, 2e9));
      firms.staffing_gap[i] = static_cast<std::int32_t>(wanted) - staff;
      const double capacity = std::max(staff, 1) * per_employee * (1.0 + p.labour_capacity_slack);
      firms.revenue_cny[i] = std::min(potential, capacity);
    } else {
      // Other sectors' labour is an aggregate that adjusts at once.
      firms.revenue_cny[i] = potential;
      firms.employees[i] = static_cast<std::int32_t>(
          std::max(1.0, std::round(std::min(potential / per_employee, 2e9))));
    }

    const auto stage = static_cast<Stage>(firms.stage[i]);
    const double margin = stage == Stage::startup
                              ? p.startup_margin
                              : p.margin_base + p.margin_productivity * relative_productivity;
    firms.cash_cny[i] += firms.revenue_cny[i] * dt * margin;
    firms.stage[i] = static_cast<std::uint8_t>(
        classify_stage(firms.revenue_cny[i], firms.age_months[i], stage, p));
  });
}

}  // namespace clustersim
