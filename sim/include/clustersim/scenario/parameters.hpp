#pragma once
// The model's parameters: each declared once (key, type, default, unit, range, description,
// source). That one declaration validates scenarios, fills ModelParameters for the kernel and
// is exported to Python and to docs/model.md.

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "clustersim/scenario/levers.hpp"

namespace clustersim {

using ParamValue = std::variant<bool, std::int64_t, double, std::string, std::vector<double>>;
enum class ParamType { boolean, integer, real, text, real_list };

std::string type_name(ParamType type);
std::string format_value(const ParamValue& value);
struct ParamSpec;
// What a valid value of this parameter looks like, for error messages.
std::string describe_expected(const ParamSpec& spec);

// Typed parameters as the kernel reads them. Rates are per year unless the name says otherwise.
// Defaults live in parameter_specs() only; parameters() fills every field from there.
struct ModelParameters {
  // Run
  std::string name;
  std::string description;
  double scale{};
  std::int64_t horizon_year{};

  // Base-year population
  std::int64_t firms_total{};
  double base_year_growth{};
  // The zone's share of the city's IC, biomedicine and AI industries in the base year.
  double zone_ic_share{};
  double zone_biomedicine_share{};
  double zone_ai_share{};
  double city_ic_cny{};
  double city_biomedicine_cny{};
  double city_ai_cny{};
  double non_leading_park_weight{};
  double pareto_alpha{};
  double initial_unicorns{};
  double initial_potential_unicorns{};
  double unicorn_valuation_excess{};
  double mean_age_years{};
  double initial_productivity_sd{};
  double cash_to_revenue{};

  // Firm growth
  double revenue_per_employee_cny{};
  double revenue_per_employee_growth{};
  double growth_drift{};
  double growth_productivity_effect{};
  double growth_agglomeration_effect{};
  double agglomeration_ref_employees{};
  double growth_young_bonus{};
  double growth_young_decay_years{};
  double volatility_ref{};
  double volatility_ref_revenue_cny{};
  double volatility_size_exponent{};
  double volatility_min{};
  double volatility_max{};

  // Productivity
  double productivity_spillover_rate{};
  double productivity_volatility{};

  // Finance
  double margin_base{};
  double margin_productivity{};
  double startup_margin{};

  // Stages
  double stage_growth_revenue_cny{};
  double stage_large_revenue_cny{};
  double startup_max_age_years{};
  double little_giant_min_revenue_cny{};
  double little_giant_min_age_years{};
  double hidden_champion_min_revenue_cny{};
  double hidden_champion_max_revenue_cny{};
  double hidden_champion_min_age_years{};
  double hidden_champion_productivity_quantile{};
  double little_giant_productivity_quantile{};
  double chain_leader_min_revenue_cny{};

  // R&D, innovation and patents
  std::vector<double> rd_intensity{};
  double rd_innovation_rate{};
  double rd_innovation_step{};
  double rd_cost_per_patent_cny{};
  double rd_density_elasticity{};         // patents per R&D CNY rise with the park's density
  double rd_reference_density_per_km2{};  // employees per km2 at which that factor is 1
  double rd_pct_share{};
  double rd_chain_spillover{};
  double rd_little_giant_min_intensity{};

  // Relocation
  double relocation_rate{};
  double relocation_distance_scale_km{};

  // Exit
  std::vector<double> exit_hazard_by_age{};
  double exit_base_hazard{};
  double exit_size_exponent{};
  double exit_ref_revenue_cny{};

  // Entry
  double entry_rate{};
  double entry_seed_per_month{};
  double entry_tracked_share{};
  double entry_median_revenue_cny{};
  double entry_revenue_sd{};
  double entry_startup_capital_cny{};
  double entry_capital_sd{};
  double entry_productivity_sd{};

  // Talent and the labour market
  double talent_skill_sd{};
  double talent_skill_productivity_link{};
  double talent_mean_age_years{};
  double talent_retirement_age_years{};
  double talent_experience_skill_growth{};
  double talent_leave_rate{};
  double talent_seeker_leave_rate{};
  double talent_job_search_rate{};
  double talent_switch_premium{};
  double talent_other_park_search_share{};
  double talent_other_park_age_scale_years{};
  double talent_other_park_age_onset_years{};
  std::vector<double> talent_arrival_age_years{};
  double talent_distance_scale_km{};
  double talent_spinoff_rate{};
  double talent_base_wage_cny{};
  double talent_wage_productivity_elasticity{};
  double talent_wage_skill_premium{};
  std::vector<double> talent_graduates_per_year{};
  std::int64_t talent_graduation_month{};
  double talent_training_per_year{};
  double talent_international_per_year{};
  double labour_capacity_slack{};
  double labour_layoff_rate{};

  // Incubators
  std::int64_t incubators_count{};
  double incubators_mean_capacity{};
  double incubators_quality_sd{};
  std::int64_t incubators_initial_high_quality{};
  std::int64_t incubators_status_from_year{};
  double incubators_admission_share{};
  double incubators_university_teams_per_year{};
  double incubators_hazard_factor{};
  std::int64_t incubators_incubation_months{};
  std::int64_t incubators_max_incubation_months{};
  double incubators_high_quality_score{};
  std::int64_t incubators_status_years{};

  // Venture capital
  std::vector<double> vc_initial_funds{};
  std::vector<double> vc_new_funds_per_year{};
  std::vector<double> vc_fund_size_cny{};
  double vc_fund_size_sd{};
  std::int64_t vc_investment_years{};
  std::int64_t vc_lifetime_years{};
  double vc_deals_per_billion{};
  std::int64_t vc_min_deals_per_year{};
  double vc_private_seed_share{};
  double vc_reserve_share{};
  double vc_max_ticket_share{};
  double vc_min_ticket_share{};
  std::int64_t vc_max_new_investors{};
  std::int64_t vc_seek_max_age_months{};
  std::int64_t vc_months_between_rounds{};
  double vc_signal_revenue_weight{};
  double vc_round_size_signal_elasticity{};
  double vc_round_size_factor_min{};
  double vc_round_size_factor_max{};
  std::int64_t vc_acquisition_min_age_months{};
  double vc_seek_rate{};
  double vc_non_leading_seek_factor{};
  std::vector<double> vc_round_size_cny{};
  std::vector<double> vc_dilution{};
  double vc_signal_noise{};
  double vc_momentum_weight{};
  std::vector<double> vc_screening{};
  std::vector<double> vc_hard_tech{};
  double vc_proximity_elasticity{};
  double vc_proximity_reference_km{};
  double vc_government_leverage{};
  double vc_growth_boost{};
  std::int64_t vc_boost_months{};
  double vc_runway_months{};
  double vc_ipo_valuation_cny{};
  double vc_ipo_min_age_years{};
  double vc_ipo_rate{};
  double vc_acquisition_rate{};
  double vc_acquisition_price_log_mean{};
  double vc_acquisition_price_log_sd{};
  double vc_cny_per_usd{};
  double vc_unicorn_valuation_usd{};
  double vc_unicorn_max_age_years{};
  double vc_potential_unicorn_valuation_usd{};

  // Parks
  double initial_occupancy{};
  double floor_space_per_employee_m2{};
  double floor_space_growth{};
  double congestion_onset{};
  double congestion_penalty{};

  // The city outside the zone (an aggregate region per leading industry)
  std::vector<double> city_outside_growth{};
  double city_relocation_out_share{};
  double city_vc_per_revenue{};

  // Policy levers: schedules, and the size of each lever's effect at intensity 1
  std::array<LeverSchedule, lever_count> levers{};
  std::int64_t evaluation_top_parks{};
  std::int64_t evaluation_bottom_parks{};
  double evaluation_fail_score{};
  std::vector<double> evaluation_score_weights{};
  double evaluation_priority_floor_space_growth{};
  double evaluation_priority_signal{};
  double evaluation_notice_effort{};
  double evaluation_low_rank_effort{};
  std::int64_t focus_max_named{};
  double focus_agglomeration_gain{};
  double focus_outside_drift{};
  double land_supply_growth{};
  double standard_factories_reserve{};
  double upstairs_gain{};
  double consolidation_relief{};
  double leader_packages_drift{};
  double title_services_drift{};
  double consortia_innovation_gain{};
  double new_incubators_per_year{};
  double new_incubators_quality{};
  double incubator_upgrade_quality{};
  double relay_space_share{};
  double proof_of_concept_team_gain{};
  double advance_incubation_productivity{};
  double government_fund_new_per_year{};
  double government_fund_leverage_gain{};
  double government_fund_early_tilt{};
  double incubation_investment_seek_gain{};
  double corporate_vc_new_per_year{};
  double investment_loan_boost{};
  double training_gain{};
  double postdocs_per_year{};
  double postdoc_skill{};
  double international_gain{};
  double international_leave_cut{};
  double ip_protection_rd_gain{};
  double ip_protection_spillover_cut{};
  double ip_pledge_ratio{};
  double open_innovation_spillover_gain{};
  double choke_point_innovation_gain{};
  double ic_programme_drift{};
  double biomedicine_programme_drift{};
  double biomedicine_programme_city_drift{};
  double ai_compute_productivity_drift{};
  double global_network_international_gain{};
  double global_network_private_funds_gain{};
  double coordination_search_gain{};
  double coordination_distance_gain{};

  // Targets (docs/policy.md): the year they are for, thresholds and the units they count
  std::int64_t target_year{};
  double target_champions{};
  double target_leading_share{};
  double target_trillion_parks{};
  double target_talent{};
  double target_hq_incubators{};
  double target_new_tech_firms{};
  double target_rd_intensity{};
  double target_pct{};
  double target_vc_share{};
  double target_nuclear_points{};
  double trillion_scale_cny{};
  double nuclear_point_cny{};
  double value_added_ratio{};
  double city_rd_cny{};
  double city_business_rd_share{};
  double zone_non_business_rd_share{};
  double non_business_rd_growth{};

  // Output
  bool firm_snapshots{};
  std::int64_t snapshot_interval_years{};
  bool talent_snapshots{};
  std::int64_t talent_snapshot_interval_years{};
  bool talent_snapshot_float32{};
};

// The prior distribution of an uncertain parameter: what the outlook and sweeps draw (clipped to
// the parameter's valid range). uniform: a = low, b = high; normal: a = mean, b = standard
// deviation; lognormal: a = median, b = standard deviation of the log.
enum class PriorKind { none, uniform, normal, lognormal };
struct Prior {
  PriorKind kind = PriorKind::none;
  double a{};
  double b{};
};
std::string prior_name(PriorKind kind);
// The prior's q-quantile (0 < q < 1), not clipped.
double prior_quantile(const Prior& prior, double q);

struct ParamSpec {
  std::string key;
  ParamType type;
  ParamValue default_value;
  double min{};  // for numbers: inclusive bounds; for lists: bounds of each element
  double max{};
  std::string unit;
  std::string description;
  std::string source;
  std::size_t list_min_length = 0;  // real_list only
  // The range the value is believed to lie in, for calibration priors and the outlook's
  // uncertainty; NaN where the value is exact, sourced to its stated precision or a choice.
  double plausible_low = std::numeric_limits<double>::quiet_NaN();
  double plausible_high = std::numeric_limits<double>::quiet_NaN();
  // Set with the plausible range (its 5-95 % interval) for the lever effects and any parameter
  // whose uncertainty has a shape; without it the plausible range is drawn uniformly.
  Prior prior;
  std::function<void(ModelParameters&, const ParamValue&)> apply;
  bool lever_schedule = false;  // one of the three keys of a lever's schedule
};

// Every parameter, in documentation order.
const std::vector<ParamSpec>& parameter_specs();
const ParamSpec* find_parameter(const std::string& key);

}  // namespace clustersim
