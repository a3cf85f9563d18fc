#pragma once
// The model's parameters: each declared once (key, type, default, unit, range, description,
// source). That one declaration validates scenarios, fills ModelParameters for the kernel and
// is exported to Python and to docs/model.md.

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

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
  double zone_revenue_cny{};
  double zone_leading_share{};
  double city_ic_cny{};
  double city_biomedicine_cny{};
  double city_ai_cny{};
  double non_leading_park_weight{};
  double pareto_alpha{};
  double mean_age_years{};
  double initial_productivity_sd{};
  double cash_to_revenue{};

  // Firm growth
  double revenue_per_employee_cny{};
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
  double chain_leader_min_revenue_cny{};

  // R&D, innovation and patents
  std::vector<double> rd_intensity{};
  double rd_innovation_rate{};
  double rd_innovation_step{};
  double rd_cost_per_patent_cny{};
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
  double vc_reserve_share{};
  double vc_max_ticket_share{};
  double vc_seek_rate{};
  double vc_non_leading_seek_factor{};
  std::vector<double> vc_round_size_cny{};
  std::vector<double> vc_dilution{};
  double vc_signal_noise{};
  double vc_momentum_weight{};
  std::vector<double> vc_screening{};
  std::vector<double> vc_hard_tech{};
  double vc_government_leverage{};
  double vc_growth_boost{};
  std::int64_t vc_boost_months{};
  double vc_ipo_valuation_cny{};
  double vc_ipo_min_age_years{};
  double vc_ipo_rate{};
  double vc_acquisition_rate{};
  double vc_cny_per_usd{};
  double vc_unicorn_valuation_usd{};

  // Parks
  double initial_occupancy{};
  double floor_space_per_employee_m2{};
  double floor_space_growth{};
  double congestion_onset{};
  double congestion_penalty{};

  // Output
  bool firm_snapshots{};
  std::int64_t snapshot_interval_years{};
  bool talent_snapshots{};
  std::int64_t talent_snapshot_interval_years{};
};

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
  std::function<void(ModelParameters&, const ParamValue&)> apply;
};

// Every parameter, in documentation order.
const std::vector<ParamSpec>& parameter_specs();
const ParamSpec* find_parameter(const std::string& key);

}  // namespace clustersim
