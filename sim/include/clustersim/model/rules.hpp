#pragma once
// Rules shared by several phases and by the initial population: calendar and rates, wages,
// stages, congestion, R&D intensity.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/model/policy.hpp"
#include "clustersim/model/sectors.hpp"
#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

inline constexpr double months_per_year = 12.0;
// Living talent's |log skill| stays below this (check_talent_invariants): staff_firms sums
// skill in fixed point, and no plausible log skill comes near it.
inline constexpr double talent_skill_bound = 1024.0;

// Monthly probability from an annual one.
double monthly_probability(double annual);

// Whether a uniform draw u falls below the monthly probability of an annual one. The monthly
// probability never exceeds the annual one, so draws above it skip the power (most agents,
// most months); the answer is that of u < monthly_probability(annual).
inline bool happens_this_month(double u, double annual) {
  return u < annual && u < monthly_probability(annual);
}

// The zone's base-year share of the city's leading industry `sector` (< leading_count), and the
// key that sets it.
inline double zone_share(const ModelParameters& params, std::size_t sector) {
  const double shares[leading_count] = {params.zone_ic_share, params.zone_biomedicine_share,
                                        params.zone_ai_share};
  return shares[sector];
}
inline const char* zone_share_key(std::size_t sector) {
  constexpr const char* keys[leading_count] = {
      "population.zone_ic_share", "population.zone_biomedicine_share", "population.zone_ai_share"};
  return keys[sector];
}

// Revenue per employee at productivity 1 in month `step` (0: the base-year state, 1: January
// of the base year): the base figure grown at the trend firms.revenue_per_employee_growth.
// Exactly the base figure when the trend is 0.
inline double revenue_per_employee_cny(const ModelParameters& params, std::uint32_t step) {
  return params.revenue_per_employee_cny *
         std::exp(params.revenue_per_employee_growth * step / months_per_year);
}

// Valuation from which a private firm is a unicorn (CNY): vc.unicorn_valuation_usd at the rate.
inline double unicorn_threshold_cny(const ModelParameters& params) {
  return params.vc_unicorn_valuation_usd * params.vc_cny_per_usd;
}

// Whether a firm is young enough for the unicorn lists (vc.unicorn_max_age_years).
inline bool young_enough_for_unicorn_lists(double age_months, const ModelParameters& params) {
  return age_months <= params.vc_unicorn_max_age_years * months_per_year;
}

// The money firm i raised in its last venture round (its post-money times that round's
// dilution), the private money a guidance fund crowded in included.
inline double last_round_cny(const FirmArrays& firms, std::size_t i,
                             const ModelParameters& params) {
  const std::size_t last =
      std::min<std::size_t>(firms.rounds[i] - 1u, params.vc_dilution.size() - 1);
  return firms.post_money_cny[i] * params.vc_dilution[last];
}

// What an acquirer pays for a venture-backed firm marked at mark_cny, given a standard normal
// draw z: the mark times a lognormal factor (vc.acquisition_price_log_mean, _log_sd). A trade
// buyer prices the business it buys, not the growth the last round priced, so many pay less.
inline double acquisition_price_cny(double mark_cny, double z, const ModelParameters& params) {
  return mark_cny *
         std::exp(params.vc_acquisition_price_log_mean + params.vc_acquisition_price_log_sd * z);
}

// A fund's chance to take part in a round of a firm distance_km from its home park, relative to
// a firm next door: 1 within vc.proximity_reference_km, falling as a power of the distance
// beyond it (vc.proximity_elasticity). Deal information travels through local ties.
inline double vc_proximity(double distance_km, const ModelParameters& params) {
  if (distance_km <= params.vc_proximity_reference_km) return 1.0;
  return std::pow(distance_km / params.vc_proximity_reference_km, -params.vc_proximity_elasticity);
}

// The wage a firm of this productivity offers to talent of log skill 0 (CNY/year).
double wage_offer(double productivity, const ModelParameters& params);

// Stage from size and age; titles awarded by later mechanisms (little giant and up) are kept.
Stage classify_stage(double revenue_cny, std::int32_t age_months, Stage current,
                     const ModelParameters& params);

// Congestion of a park: 0 below the onset occupancy, 1 at full occupancy, more beyond.
double congestion(double occupancy, const ModelParameters& params);

// Fraction of potential entries that a park's floor space admits: 1 - congestion, in [0, 1].
double space_factor(double occupancy, const ModelParameters& params);

// Head count of a firm at creation: leading sectors staff up to the revenue (ceil, so that the
// staff can produce it), other sectors to the nearest person; at least one.
// `step` dates the revenue per employee (revenue_per_employee_cny).
std::int32_t initial_head_count(double revenue_cny, double productivity, int sector,
                                const ModelParameters& params, std::uint32_t step);

// R&D intensity (spending per CNY of revenue) of a sector in a park, with IP protection.
double rd_intensity(int sector, std::size_t park, const ModelParameters& params,
                    const PolicyState& policy);

// R&D of the zone's institutes and universities in `year` (CNY/year): the zone's share of the
// city's non-business R&D in the base year, grown at a compound rate. Exogenous: it adds to
// the firms' R&D in the R&D/GDP target only.
inline double zone_non_business_rd_cny(int year, const ModelParameters& params) {
  return params.city_rd_cny * (1.0 - params.city_business_rd_share) *
         params.zone_non_business_rd_share *
         std::pow(1.0 + params.non_business_rd_growth, year - base_year);
}

}  // namespace clustersim
