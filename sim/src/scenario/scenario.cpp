#include "clustersim/scenario/scenario.hpp"

#include <cmath>
#include <sstream>

#include "clustersim/errors.hpp"

namespace clustersim {
namespace {

std::string range_text(const ParamSpec& spec) {
  std::ostringstream out;
  out.precision(15);
  out << "[" << spec.min << ", " << spec.max << "]";
  return out.str();
}

}  // namespace

std::string describe_expected(const ParamSpec& spec) {
  const std::string name = type_name(spec.type);
  std::string text = (name.find_first_of("aeiou") == 0 ? "an " : "a ") + name;
  if (spec.type == ParamType::real || spec.type == ParamType::integer) {
    text += " in " + range_text(spec);
  } else if (spec.type == ParamType::real_list) {
    text = "a list of at least " + std::to_string(spec.list_min_length) +
           " finite numbers, each in " + range_text(spec);
  }
  if (!spec.unit.empty()) text += " (" + spec.unit + ")";
  return text;
}

namespace {

bool in_range(const ParamSpec& spec, double v) {
  return std::isfinite(v) && v >= spec.min && v <= spec.max;
}

// Returns the value in the parameter's own type, or throws.
ParamValue validated(const ParamSpec& spec, const ParamValue& value) {
  auto fail = [&]() -> ParamValue {
    throw ScenarioError(spec.key, format_value(value), describe_expected(spec));
  };
  switch (spec.type) {
    case ParamType::boolean:
      if (!std::holds_alternative<bool>(value)) return fail();
      return value;
    case ParamType::text:
      if (!std::holds_alternative<std::string>(value)) return fail();
      return value;
    case ParamType::integer: {
      if (!std::holds_alternative<std::int64_t>(value)) return fail();
      if (!in_range(spec, static_cast<double>(std::get<std::int64_t>(value)))) return fail();
      return value;
    }
    case ParamType::real: {
      double v;
      if (const auto* i = std::get_if<std::int64_t>(&value)) {
        v = static_cast<double>(*i);
      } else if (const auto* d = std::get_if<double>(&value)) {
        v = *d;
      } else {
        return fail();
      }
      if (!in_range(spec, v)) return fail();
      return v;
    }
    case ParamType::real_list: {
      const auto* list = std::get_if<std::vector<double>>(&value);
      if (list == nullptr || list->size() < spec.list_min_length) return fail();
      for (double v : *list) {
        if (!in_range(spec, v)) return fail();
      }
      return value;
    }
  }
  return fail();
}

void require(bool ok, const std::string& key, const ParamValue& value,
             const std::string& expected) {
  if (!ok) throw ScenarioError(key, format_value(value), expected);
}

}  // namespace

void Scenario::set(const std::string& key, const ParamValue& value) {
  const ParamSpec* spec = find_parameter(key);
  if (spec == nullptr) {
    throw ScenarioError(key, format_value(value), "a known parameter (unknown key)");
  }
  values_[key] = validated(*spec, value);
}

const ParamValue& Scenario::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it != values_.end()) return it->second;
  const ParamSpec* spec = find_parameter(key);
  if (spec == nullptr) throw ScenarioError(key, "(none)", "a known parameter (unknown key)");
  return spec->default_value;
}

ModelParameters Scenario::parameters() const {
  ModelParameters p;
  for (const ParamSpec& spec : parameter_specs()) spec.apply(p, get(spec.key));

  // Checks that involve more than one key: name the key that is set last in reading order.
  require(p.volatility_min <= p.volatility_max, "firms.growth.volatility_max",
          get("firms.growth.volatility_max"),
          "at least firms.growth.volatility_min (" + format_value(p.volatility_min) + ")");
  require(
      p.stage_growth_revenue_cny <= p.stage_large_revenue_cny, "firms.stage.large_revenue_cny",
      get("firms.stage.large_revenue_cny"),
      "at least firms.stage.growth_revenue_cny (" + format_value(p.stage_growth_revenue_cny) + ")");
  require(p.talent_mean_age_years < p.talent_retirement_age_years, "talent.mean_age_years",
          get("talent.mean_age_years"),
          "an age below talent.retirement_age_years (" +
              format_value(p.talent_retirement_age_years) + ")");
  require(p.incubators_incubation_months <= p.incubators_max_incubation_months,
          "incubators.max_incubation_months", get("incubators.max_incubation_months"),
          "at least incubators.incubation_months (" + format_value(p.incubators_incubation_months) +
              ")");
  require(p.little_giant_min_revenue_cny < p.stage_large_revenue_cny,
          "firms.titles.little_giant_min_revenue_cny",
          get("firms.titles.little_giant_min_revenue_cny"),
          "a revenue below firms.stage.large_revenue_cny (" +
              format_value(p.stage_large_revenue_cny) + "): little giants are SMEs");
  require(p.hidden_champion_min_revenue_cny <= p.hidden_champion_max_revenue_cny,
          "firms.titles.hidden_champion_max_revenue_cny",
          get("firms.titles.hidden_champion_max_revenue_cny"),
          "at least firms.titles.hidden_champion_min_revenue_cny (" +
              format_value(p.hidden_champion_min_revenue_cny) + ")");
  require(static_cast<double>(p.firms_total) * p.scale >= 1.0, "scale", get("scale"),
          "a value giving at least one firm agent (population.firms_total * scale >= 1)");
  for (std::size_t l = 0; l < lever_count; ++l) {
    const std::string key = "policy." + std::string(lever_catalogue()[l].key) + ".end_year";
    require(
        p.levers[l].start_year <= p.levers[l].end_year, key, get(key),
        "a year at or after the lever's start_year (" + format_value(p.levers[l].start_year) + ")");
  }
  double weights = 0.0;
  for (double w : p.evaluation_score_weights) weights += w;
  require(weights > 0.0, "policy.evaluation.score_weights", get("policy.evaluation.score_weights"),
          "weights with a positive sum");
  return p;
}

}  // namespace clustersim
