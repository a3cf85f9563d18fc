#include "clustersim/phases/grow_firms.hpp"

#include <algorithm>
#include <array>
#include <boost/random/laplace_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void grow_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                const StepContext& ctx, StepFlows* flows) {
  const ModelParameters& p = ctx.params;
  const double dt = 1.0 / months_per_year;
  const double sqrt_dt = std::sqrt(dt);
  // Crowded parks slow every firm in them by the same drift penalty (rents, waiting for
  // space), which keeps growth rates independent of size (Gibrat) while occupancy is bounded.
  // Consolidated plots soften it.
  std::vector<double> park_congestion_drift(parks.size());
  for (std::size_t k = 0; k < parks.size(); ++k) {
    park_congestion_drift[k] =
        p.congestion_penalty * congestion(cells.occupancy[k], p) *
        (1.0 - p.consolidation_relief * ctx.policy.at(Lever::plot_consolidation, k));
  }

  // Levers acting on whole cells (docs/model.md, "Policy levers"): each term is exactly 0 (or
  // the factor exactly 1) when its lever is off.
  const std::size_t n_cells = parks.size() * sector_count;
  std::vector<double> cell_policy_drift(n_cells, 0.0), agglomeration_factor(n_cells, 1.0),
      spillover_factor(n_cells, 1.0), productivity_drift(n_cells, 0.0);
  for (std::size_t k = 0; k < parks.size(); ++k) {
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(k, s);
      spillover_factor[c] =
          1.0 - p.ip_protection_spillover_cut * ctx.policy.at(Lever::ip_protection, k);
      if (!is_leading(s)) continue;
      const double focus = ctx.policy.at(Lever::focus, k);
      if (parks.keeps_named(k, s)) {
        agglomeration_factor[c] = 1.0 + p.focus_agglomeration_gain * focus;
      } else {
        cell_policy_drift[c] -= p.focus_outside_drift * focus;
      }
      if (s == static_cast<int>(Sector::ic)) {
        cell_policy_drift[c] += p.ic_programme_drift * ctx.policy.at(Lever::ic_programme, k);
      } else if (s == static_cast<int>(Sector::biomedicine)) {
        cell_policy_drift[c] +=
            p.biomedicine_programme_drift * ctx.policy.at(Lever::biomedicine_programme, k);
      } else if (s == static_cast<int>(Sector::ai)) {
        productivity_drift[c] =
            p.ai_compute_productivity_drift * ctx.policy.at(Lever::ai_compute, k);
      }
    }
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

  // What depends only on the cell, or on age in months, is computed once per step, not per
  // firm (the same expressions, so the same values).
  std::vector<double> agglomeration_drift(n_cells);
  for (std::size_t c = 0; c < n_cells; ++c) {
    agglomeration_drift[c] = p.growth_agglomeration_effect * agglomeration_factor[c] *
                             std::log1p(cells.employees[c] / p.agglomeration_ref_employees);
  }
  constexpr std::int32_t tabulated_months = 1200;
  std::vector<double> young_bonus(tabulated_months);
  auto young_bonus_at = [&](std::int32_t age_months) {
    const double age_years = age_months / months_per_year;
    return p.growth_young_bonus * std::exp(-age_years / p.growth_young_decay_years);
  };
  for (std::int32_t a = 0; a < tabulated_months; ++a) young_bonus[a] = young_bonus_at(a);

  const double base_per_employee = revenue_per_employee_cny(p, ctx.step);

  // One firm's month; returns its operating cash flow.
  auto grow_firm = [&](std::size_t i, Stream productivity_stream, Stream growth_stream) {
    const std::size_t park = static_cast<std::size_t>(firms.park[i]);
    const std::size_t c = cell_index(park, firms.sector[i]);
    firms.age_months[i] += 1;

    // Productivity: random innovations plus catch-up toward the park-sector mean (spillovers).
    boost::random::normal_distribution<double> innovation(0.0, 1.0);
    double log_productivity = std::log(firms.productivity[i]);
    log_productivity += p.productivity_spillover_rate * spillover_factor[c] * dt *
                            (cells.log_productivity_mean[c] - log_productivity) +
                        p.productivity_volatility * sqrt_dt * innovation(productivity_stream) +
                        productivity_drift[c] * dt;
    firms.productivity[i] = std::exp(log_productivity);

    // Revenue: Gibrat-like multiplicative growth with Laplace shocks whose scale falls with size.
    boost::random::laplace_distribution<double> shock(0.0, 1.0 / std::sqrt(2.0));  // unit variance
    const double revenue = firms.revenue_cny[i];
    const std::int32_t age = firms.age_months[i];
    // Productivity counts relative to the sector's zone mean: better firms gain share, while
    // innovation that lifts everyone does not by itself speed up the whole zone.
    const double relative_productivity = log_productivity - sector_mean[firms.sector[i]];
    const auto stage = static_cast<Stage>(firms.stage[i]);
    double stage_policy_drift = 0.0;
    if (stage == Stage::chain_leader || stage == Stage::large) {
      stage_policy_drift = p.leader_packages_drift * ctx.policy.at(Lever::leader_packages, park);
    } else if (stage == Stage::little_giant || stage == Stage::hidden_champion ||
               stage == Stage::unicorn) {
      stage_policy_drift = p.title_services_drift * ctx.policy.at(Lever::title_services, park);
    }
    const double drift =
        p.growth_drift + p.growth_productivity_effect * relative_productivity +
        agglomeration_drift[c] +
        (age >= 0 && age < tabulated_months ? young_bonus[static_cast<std::size_t>(age)]
                                            : young_bonus_at(age)) -
        park_congestion_drift[park] +
        // Money from a recent round lets a firm hire and scale.
        (firms.last_round_step[i] > 0 &&
                 ctx.step - static_cast<std::uint32_t>(firms.last_round_step[i]) <=
                     static_cast<std::uint32_t>(p.vc_boost_months)
             // Investment-loan linkage: a bank loan comes with the round.
             ? p.vc_growth_boost *
                   (1.0 + p.investment_loan_boost * ctx.policy.at(Lever::investment_loan, park))
             : 0.0) +
        cell_policy_drift[c] + stage_policy_drift;
    const double volatility =
        std::clamp(p.volatility_ref * std::pow(revenue / p.volatility_ref_revenue_cny,
                                               -p.volatility_size_exponent),
                   p.volatility_min, p.volatility_max);
    const double log_growth = drift * dt + volatility * sqrt_dt * shock(growth_stream);
    const double potential = revenue * std::exp(log_growth);
    const double per_employee = base_per_employee * firms.productivity[i];

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

    const double margin = stage == Stage::startup
                              ? p.startup_margin
                              : p.margin_base + p.margin_productivity * relative_productivity;
    const double operating_cash_cny = firms.revenue_cny[i] * dt * margin;
    firms.cash_cny[i] += operating_cash_cny;
    firms.stage[i] = static_cast<std::uint8_t>(
        classify_stage(firms.revenue_cny[i], firms.age_months[i], stage, p));
    return operating_cash_cny;
  };

  // The operating cash flow is summed per block in block order, for the step's accounts.
  const double operating_cash_cny = ctx.executor.reduce(
      firms.size(), 0.0,
      [&](double& block_cash, std::size_t begin, std::size_t end) {
        BatchedStreams productivity(ctx.seed, firms.id.data(), end, ctx.step,
                                    Purpose::productivity);
        BatchedStreams growth(ctx.seed, firms.id.data(), end, ctx.step, Purpose::growth);
        for (std::size_t i = begin; i < end; ++i) {
          if (firms.alive[i]) block_cash += grow_firm(i, productivity.at(i), growth.at(i));
        }
      },
      [](double& sum, const double& part) { sum += part; });
  if (flows != nullptr) flows->operating_cash_cny += operating_cash_cny;
}

}  // namespace clustersim
