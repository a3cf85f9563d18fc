#include "clustersim/phases/grow_firms.hpp"

#include <algorithm>
#include <array>
#include <boost/random/laplace_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

constexpr double dt = 1.0 / months_per_year;
constexpr std::int32_t tabulated_months = 1200;

// What depends only on the park, the cell, the sector or the age in months, computed once per
// step instead of per firm (the same expressions, so the same values). Lever terms are exactly
// 0 (or factors exactly 1) when their lever is off (docs/model.md, "Policy levers").
struct GrowthTables {
  std::vector<double> park_congestion_drift;  // per park
  std::vector<double> cell_policy_drift, agglomeration_drift, spillover_factor,
      productivity_drift;                          // per cell
  std::array<double, sector_count> sector_mean{};  // employment-weighted log productivity
  std::vector<double> young_bonus;                 // per month of age, to tabulated_months
  double base_per_employee = 0.0;                  // revenue per employee at productivity 1
};

double young_bonus_at(std::int32_t age_months, const ModelParameters& p) {
  const double age_years = age_months / months_per_year;
  return p.growth_young_bonus * std::exp(-age_years / p.growth_young_decay_years);
}

// The levers that act on whole cells: focus (agglomeration inside the named industries, a
// drift penalty outside), the industry programmes, AI compute and IP protection.
void cell_levers(const Parks& parks, const CellStats& cells, const StepContext& ctx,
                 GrowthTables& t) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_cells = parks.size() * sector_count;
  std::vector<double> agglomeration_factor(n_cells, 1.0);
  t.cell_policy_drift.assign(n_cells, 0.0);
  t.spillover_factor.assign(n_cells, 1.0);
  t.productivity_drift.assign(n_cells, 0.0);
  for (std::size_t k = 0; k < parks.size(); ++k) {
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(k, s);
      t.spillover_factor[c] =
          1.0 - p.ip_protection_spillover_cut * ctx.policy.at(Lever::ip_protection, k);
      if (!is_leading(s)) continue;
      const double focus = ctx.policy.at(Lever::focus, k);
      if (parks.keeps_named(k, s)) {
        agglomeration_factor[c] = 1.0 + p.focus_agglomeration_gain * focus;
      } else {
        t.cell_policy_drift[c] -= p.focus_outside_drift * focus;
      }
      if (s == static_cast<int>(Sector::ic)) {
        t.cell_policy_drift[c] += p.ic_programme_drift * ctx.policy.at(Lever::ic_programme, k);
      } else if (s == static_cast<int>(Sector::biomedicine)) {
        t.cell_policy_drift[c] +=
            p.biomedicine_programme_drift * ctx.policy.at(Lever::biomedicine_programme, k);
      } else if (s == static_cast<int>(Sector::ai)) {
        t.productivity_drift[c] =
            p.ai_compute_productivity_drift * ctx.policy.at(Lever::ai_compute, k);
      }
    }
  }
  t.agglomeration_drift.resize(n_cells);
  for (std::size_t c = 0; c < n_cells; ++c) {
    t.agglomeration_drift[c] = p.growth_agglomeration_effect * agglomeration_factor[c] *
                               std::log1p(cells.employees[c] / p.agglomeration_ref_employees);
  }
}

GrowthTables growth_tables(const Parks& parks, const CellStats& cells, const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  GrowthTables t;
  // Crowded parks slow every firm in them by the same drift penalty (rents, waiting for
  // space), which keeps growth rates independent of size (Gibrat) while occupancy is bounded.
  // Consolidated plots soften it.
  t.park_congestion_drift.resize(parks.size());
  for (std::size_t k = 0; k < parks.size(); ++k) {
    t.park_congestion_drift[k] =
        p.congestion_penalty * congestion(cells.occupancy[k], p) *
        (1.0 - p.consolidation_relief * ctx.policy.at(Lever::plot_consolidation, k));
  }
  cell_levers(parks, cells, ctx, t);
  std::array<double, sector_count> sector_employees{};
  for (std::size_t k = 0; k < parks.size(); ++k) {
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(k, s);
      t.sector_mean[s] += cells.employees[c] * cells.log_productivity_mean[c];
      sector_employees[s] += cells.employees[c];
    }
  }
  for (int s = 0; s < sector_count; ++s) {
    if (sector_employees[s] > 0) t.sector_mean[s] /= sector_employees[s];
  }
  t.young_bonus.resize(tabulated_months);
  for (std::int32_t a = 0; a < tabulated_months; ++a) t.young_bonus[a] = young_bonus_at(a, p);
  t.base_per_employee = revenue_per_employee_cny(p, ctx.step);
  return t;
}

// The drift of a firm's log revenue this month (1/year).
double revenue_drift(const FirmArrays& firms, std::size_t i, std::size_t c,
                     double relative_productivity, const GrowthTables& t, const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  const auto park = static_cast<std::size_t>(firms.park[i]);
  const std::int32_t age = firms.age_months[i];
  const auto stage = static_cast<Stage>(firms.stage[i]);
  double stage_policy_drift = 0.0;
  if (stage == Stage::chain_leader || stage == Stage::large) {
    stage_policy_drift = p.leader_packages_drift * ctx.policy.at(Lever::leader_packages, park);
  } else if (stage == Stage::little_giant || stage == Stage::hidden_champion ||
             stage == Stage::unicorn) {
    stage_policy_drift = p.title_services_drift * ctx.policy.at(Lever::title_services, park);
  }
  return p.growth_drift + p.growth_productivity_effect * relative_productivity +
         t.agglomeration_drift[c] +
         (age >= 0 && age < tabulated_months ? t.young_bonus[static_cast<std::size_t>(age)]
                                             : young_bonus_at(age, p)) -
         t.park_congestion_drift[park] +
         // Money from a recent round lets a firm hire and scale.
         (firms.last_round_step[i] > 0 &&
                  ctx.step - static_cast<std::uint32_t>(firms.last_round_step[i]) <=
                      static_cast<std::uint32_t>(p.vc_boost_months)
              // Investment-loan linkage: a bank loan comes with the round.
              ? p.vc_growth_boost *
                    (1.0 + p.investment_loan_boost * ctx.policy.at(Lever::investment_loan, park))
              : 0.0) +
         t.cell_policy_drift[c] + stage_policy_drift;
}

// One firm's month; returns its operating cash flow.
double grow_firm(FirmArrays& firms, std::size_t i, const CellStats& cells, const GrowthTables& t,
                 const StepContext& ctx, Stream productivity_stream, Stream growth_stream) {
  const ModelParameters& p = ctx.params;
  const double sqrt_dt = std::sqrt(dt);
  const std::size_t c = cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
  firms.age_months[i] += 1;

  // Productivity: random innovations plus catch-up toward the park-sector mean (spillovers).
  boost::random::normal_distribution<double> innovation(0.0, 1.0);
  double log_productivity = std::log(firms.productivity[i]);
  log_productivity += p.productivity_spillover_rate * t.spillover_factor[c] * dt *
                          (cells.log_productivity_mean[c] - log_productivity) +
                      p.productivity_volatility * sqrt_dt * innovation(productivity_stream) +
                      t.productivity_drift[c] * dt;
  firms.productivity[i] = std::exp(log_productivity);

  // Revenue: Gibrat-like multiplicative growth with Laplace shocks whose scale falls with size.
  // Productivity counts relative to the sector's zone mean: better firms gain share, while
  // innovation that lifts everyone does not by itself speed up the whole zone.
  boost::random::laplace_distribution<double> shock(0.0, 1.0 / std::sqrt(2.0));  // unit variance
  const double revenue = firms.revenue_cny[i];
  const double relative_productivity = log_productivity - t.sector_mean[firms.sector[i]];
  const double drift = revenue_drift(firms, i, c, relative_productivity, t, ctx);
  const double volatility =
      std::clamp(p.volatility_ref *
                     std::pow(revenue / p.volatility_ref_revenue_cny, -p.volatility_size_exponent),
                 p.volatility_min, p.volatility_max);
  const double log_growth = drift * dt + volatility * sqrt_dt * shock(growth_stream);
  const double potential = revenue * std::exp(log_growth);
  const double per_employee = t.base_per_employee * firms.productivity[i];

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
  double operating_cash_cny = firms.revenue_cny[i] * dt * margin;
  if (stage <= Stage::growth && firms.exit_route[i] == 0 && firms.last_round_step[i] > 0) {
    // Runway: a round is sized to last vc.runway_months, and a funded private firm (start-up
    // or growth stage) spends it at that pace, hiring ahead of revenue, whether or not the next
    // round comes. Rounds before the base year (step 0) are in the base-year cash instead.
    operating_cash_cny =
        std::min(operating_cash_cny, -last_round_cny(firms, i, p) / p.vc_runway_months);
  }
  firms.cash_cny[i] += operating_cash_cny;
  firms.stage[i] = static_cast<std::uint8_t>(
      classify_stage(firms.revenue_cny[i], firms.age_months[i], stage, p));
  return operating_cash_cny;
}

}  // namespace

void grow_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                const StepContext& ctx, StepFlows* flows) {
  const GrowthTables tables = growth_tables(parks, cells, ctx);
  // Firms grow in ranges finer than the executor's blocks (Executor::for_ranges), so that a
  // many-core machine has enough pieces to share out; each firm's month does not depend on the
  // partition. Its operating cash flow goes to its own slot and is summed per block in firm
  // order, blocks in order: the same sum, bit for bit, as one pass per block.
  const std::size_t n = firms.size();
  std::vector<double> cash(n, 0.0);
  ctx.executor.for_ranges(n, [&](std::size_t begin, std::size_t end) {
    BatchedStreams productivity(ctx.seed, firms.id.data(), end, ctx.step, Purpose::productivity);
    BatchedStreams growth(ctx.seed, firms.id.data(), end, ctx.step, Purpose::growth);
    for (std::size_t i = begin; i < end; ++i) {
      if (firms.alive[i]) {
        cash[i] = grow_firm(firms, i, cells, tables, ctx, productivity.at(i), growth.at(i));
      }
    }
  });
  const double operating_cash_cny = ctx.executor.reduce(
      n, 0.0,
      [&](double& block_cash, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (firms.alive[i]) block_cash += cash[i];
        }
      },
      [](double& sum, const double& part) { sum += part; });
  if (flows != nullptr) flows->operating_cash_cny += operating_cash_cny;
}

}  // namespace clustersim
