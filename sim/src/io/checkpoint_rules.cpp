#include "checkpoint_rules.hpp"

#include <array>
#include <boost/crc.hpp>
#include <cmath>
#include <limits>
#include <sstream>
#include <type_traits>

#include "clustersim/errors.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim::checkpoint_rules {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// The kinds of value a column holds, in words for the message.
ValueRule index_of(std::size_t count, const std::string& what) {
  return {0.0,
          static_cast<double>(count) - 1.0,
          std::nullopt,
          false,
          false,
          count == 0 ? "nothing (there is no " + what.substr(what.find(' ') + 1) + ")"
                     : "the index of " + what + " (0 to " + std::to_string(count - 1) + ")"};
}
ValueRule index_or_none(std::size_t count, const std::string& what) {
  ValueRule rule = index_of(count, what);
  rule.none = -1.0;
  rule.expected += " or -1 (none)";
  return rule;
}
ValueRule id_below(std::int64_t next, const std::string& what) {
  return {0.0,
          static_cast<double>(next) - 1.0,
          std::nullopt,
          false,
          false,
          "a " + what + " id below the checkpoint's next id (" + std::to_string(next) + ")"};
}
ValueRule code(int count, const std::string& what) {
  return {0.0,   count - 1.0, std::nullopt,
          false, false,       "a " + what + " code, 0 to " + std::to_string(count - 1)};
}
ValueRule flag() { return {0.0, 1.0, std::nullopt, false, false, "0 or 1"}; }
ValueRule count() { return {0.0, infinity, std::nullopt, false, false, "a count, 0 or more"}; }
ValueRule amount() {
  return {0.0, infinity, std::nullopt, false, false, "a finite number, 0 or more"};
}
ValueRule finite() { return {-infinity, infinity, std::nullopt, false, false, "a finite number"}; }
ValueRule fraction() { return {0.0, 1.0, std::nullopt, false, false, "a fraction, 0 to 1"}; }
ValueRule month_up_to(std::uint32_t steps) {
  return {0.0,          static_cast<double>(steps),
          std::nullopt, false,
          false,        "a month of the run so far, 0 to " + std::to_string(steps)};
}
ValueRule finite_or_nan() {
  return {-infinity, infinity, std::nullopt, true, false, "a finite number or NaN (none)"};
}
// Series hold what the run measured (a park's score is NaN before its first evaluation); only
// their lengths and the checksum guard them.
ValueRule any_number() {
  return {-infinity, infinity, std::nullopt, true, true, "a number (not +infinity)"};
}

template <class T>
double as_double(T value) {
  return static_cast<double>(value);
}

void fail(const std::string& path, const std::string& what) {
  throw OutputError(path + ": " + what + " (the checkpoint is damaged or was altered)");
}

std::string value_text(double value) {
  std::ostringstream out;
  out.precision(17);
  out << value;
  return out.str();
}

// Ids strictly increase with the index (agents are appended, compaction keeps the order), so
// they are unique.
template <class Ids>
void check_increasing(const Ids& ids, const std::string& name, const std::string& path) {
  for (std::size_t i = 1; i < ids.size(); ++i) {
    if (ids[i] <= ids[i - 1]) {
      fail(path, name + "[" + std::to_string(i) + "] = " + std::to_string(ids[i]) +
                     "; expected ids that increase with the index (the one before is " +
                     std::to_string(ids[i - 1]) + ")");
    }
  }
}

template <class Ids>
void check_is_index(const Ids& ids, const std::string& name, const std::string& path) {
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != static_cast<std::int64_t>(i)) {
      fail(path, name + "[" + std::to_string(i) + "] = " + std::to_string(ids[i]) +
                     "; expected its index (" + std::to_string(i) + ")");
    }
  }
}

void check_counters(const RunState& state, const std::string& path) {
  auto at_least = [&](const char* name, std::int64_t value, std::int64_t least,
                      const std::string& why) {
    if (value < least) {
      fail(path, std::string("attribute ") + name + " = " + std::to_string(value) +
                     "; expected at least " + std::to_string(least) + " (" + why + ")");
    }
  };
  at_least("first_new_firm_id", state.first_new_firm_id, 0, "ids start at 0");
  at_least("next_firm_id", state.next_firm_id, state.first_new_firm_id,
           "the first id of a firm founded in the run");
  // The last id of each kind (ids increase with the index, checked with the columns).
  auto above_last = [&](const char* counter, std::int64_t next, const std::string& column,
                        const auto& ids) {
    if (ids.size() > 0 && next <= ids[ids.size() - 1]) {
      fail(path, column + "[" + std::to_string(ids.size() - 1) +
                     "] = " + std::to_string(ids[ids.size() - 1]) + " is not below attribute " +
                     counter + " = " + std::to_string(next) + "; expected ids below the next id");
    }
  };
  above_last("next_firm_id", state.next_firm_id, "firms/firm_id", state.firms.id);
  above_last("next_talent_id", state.next_talent_id, "talent/talent_id", state.talent.id);
  above_last("next_deal_id", state.next_deal_id, "deals/deal_id", state.deals.id);
}

// References between agents: each must name the agent at the index it stores.
void check_references(const RunState& state, const std::string& path) {
  const FirmArrays& firms = state.firms;
  const DealArrays& deals = state.deals;
  for (std::size_t d = 0; d < deals.size(); ++d) {
    const std::int32_t f = deals.firm_index[d];
    if (f >= 0 && firms.id[static_cast<std::size_t>(f)] != deals.firm[d]) {
      fail(path, "deals/firm_index[" + std::to_string(d) + "] = " + std::to_string(f) +
                     " names firm " + std::to_string(firms.id[static_cast<std::size_t>(f)]) +
                     "; expected the deal's firm " + std::to_string(deals.firm[d]));
    }
  }
  const TalentArrays& talent = state.talent;
  for (std::size_t t = 0; t < talent.size(); ++t) {
    const std::int32_t e = talent.employer_index[t];
    if (e >= 0 && firms.id[static_cast<std::size_t>(e)] != talent.employer[t]) {
      fail(path, "talent/employer_index[" + std::to_string(t) + "] = " + std::to_string(e) +
                     " names firm " + std::to_string(firms.id[static_cast<std::size_t>(e)]) +
                     "; expected the employer " + std::to_string(talent.employer[t]));
    }
  }
}

void check_targets(const RunState& state, const std::string& path) {
  const TargetBook& targets = state.targets;
  const std::size_t years = state.steps_done / 12;
  if (targets.years().size() != years || targets.values().size() != years * target_count ||
      targets.met().size() != years * target_count) {
    fail(path, "the targets hold " + std::to_string(targets.years().size()) +
                   " years; expected one per December so far (" + std::to_string(years) + ")");
  }
  for (std::size_t y = 0; y < years; ++y) {
    if (targets.years()[y] != base_year + static_cast<int>(y)) {
      fail(path, "targets/year[" + std::to_string(y) + "] = " + std::to_string(targets.years()[y]) +
                     "; expected " + std::to_string(base_year + static_cast<int>(y)));
    }
  }
  for (std::size_t i = 0; i < targets.met().size(); ++i) {
    if (targets.met()[i] > 1) {
      fail(path, "targets/met[" + std::to_string(i) + "] = " + std::to_string(targets.met()[i]) +
                     "; expected 0 or 1");
    }
  }
}

void check_city(const City& city, const std::string& path) {
  auto check = [&](const std::string& name, const auto& values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!(std::isfinite(values[i]) && values[i] >= 0.0)) {
        fail(path, name + "[" + std::to_string(i) + "] = " + value_text(values[i]) +
                       "; expected a finite number, 0 or more");
      }
    }
  };
  check("city/outside_revenue_cny", city.outside_revenue_cny);
  check("city/outside_talent", city.outside_talent);
  check("city/moved_in_revenue_cny", city.moved_in_revenue_cny);
  check("city/scalars", std::array<double, 2>{city.firms_moved_in, city.outside_vc_cny});
}

template <class T>
void crc_value(boost::crc_32_type& crc, const T& value) {
  crc.process_bytes(&value, sizeof value);
}

template <class Values>
void crc_array(boost::crc_32_type& crc, const std::string& name, const Values& values) {
  crc.process_bytes(name.data(), name.size());
  crc_value(crc, static_cast<std::uint64_t>(values.size()));
  if (values.size() > 0) {
    crc.process_bytes(values.data(), values.size() * sizeof(typename Values::value_type));
  }
}

}  // namespace

bool ValueRule::accepts(double value) const {
  if (none && value == *none) return true;
  if (std::isnan(value)) return nan_allowed;
  if (std::isinf(value)) return value < 0.0 && minus_infinity_allowed;
  return value >= min && value <= max;
}

std::map<std::string, ArrayRule> state_rules(const RunState& state) {
  const std::size_t parks = state.parks.size();
  const std::size_t cells = parks * sector_count;
  const std::uint32_t steps = state.steps_done;
  std::map<std::string, ArrayRule> rules;
  auto add = [&](const std::string& group, std::size_t length,
                 std::initializer_list<std::pair<const char*, ValueRule>> columns) {
    for (const auto& [name, rule] : columns) {
      rules[group.empty() ? std::string(name) : group + "/" + name] = {rule, length};
    }
  };
  const std::string park = "a park";
  add("firms", state.firms.size(),
      {{"firm_id", id_below(state.next_firm_id, "firm")},
       {"park", index_of(parks, park)},
       {"sector", code(sector_count, "sector")},
       {"stage", code(stage_count, "stage")},
       {"alive", flag()},
       {"revenue_cny", amount()},
       {"employees", count()},
       {"productivity", amount()},
       {"age_months", count()},
       {"cash_cny", finite()},
       {"staffing_gap", finite()},
       {"incubator", index_or_none(state.incubators.size(), "an incubator")},
       {"incubated_months", count()},
       {"team_skill", finite()},
       {"rounds", count()},
       {"last_round_step", month_up_to(steps)},
       {"post_money_cny", amount()},
       {"valuation_cny", amount()},
       {"revenue_at_round_cny", amount()},
       {"vc_raised_cny", amount()},
       {"exit_route", code(4, "exit route")}});
  ValueRule employer = id_below(state.next_firm_id, "firm");
  employer.none = -1.0;
  employer.expected += " or -1 (seeking a job)";
  ValueRule skill{-talent_skill_bound,
                  talent_skill_bound,
                  std::nullopt,
                  false,
                  false,
                  "a log skill within +-" + value_text(talent_skill_bound)};
  add("talent", state.talent.size(),
      {{"talent_id", id_below(state.next_talent_id, "talent")},
       {"park", index_of(parks, park)},
       {"sector", code(static_cast<int>(leading_count), "leading industry")},
       {"alive", flag()},
       {"skill", skill},
       {"employer", employer},
       {"employer_index", index_or_none(state.firms.size(), "a firm")},
       {"age_months", count()},
       {"wage_cny", amount()},
       {"months_seeking", count()},
       {"intent", code(3, "talent intent")},
       {"target_park", index_of(parks, park)}});
  add("incubators", state.incubators.size(),
      {{"incubator_id", index_of(state.incubators.size(), "the incubator itself")},
       {"park", index_of(parks, park)},
       {"sector", code(static_cast<int>(leading_count), "leading industry")},
       {"alive", flag()},
       {"capacity", count()},
       {"quality", finite()},
       {"high_quality", flag()},
       {"occupants", count()},
       {"admissions_year", count()},
       {"graduations_year", count()},
       {"failures_year", count()},
       {"years_meeting", count()},
       {"years_failing", count()},
       {"last_score", finite_or_nan()}});
  ValueRule fund_sector = code(sector_count, "sector");
  fund_sector.none = 255.0;
  fund_sector.expected += " or 255 (generalist)";
  ValueRule parent = id_below(state.next_firm_id, "firm");
  parent.none = -1.0;
  parent.expected += " or -1 (not a corporate fund)";
  const ValueRule year{1900.0, 2200.0, std::nullopt, false, false, "a year, 1900 to 2200"};
  add("funds", state.funds.size(),
      {{"fund_id", index_of(state.funds.size(), "the fund itself")},
       {"kind", code(fund_kind_count, "fund kind")},
       {"park", index_of(parks, park)},
       {"alive", flag()},
       {"open", flag()},
       {"sector", fund_sector},
       {"hard_tech", fraction()},
       {"first_round", code(round_count, "financing round")},
       {"last_round", code(round_count, "financing round")},
       {"vintage_year", year},
       {"investment_years", count()},
       {"lifetime_years", count()},
       {"deals_per_year", count()},
       {"deals_this_year", count()},
       {"size_cny", amount()},
       {"invested_cny", amount()},
       {"follow_on_cny", amount()},
       {"realized_cny", amount()},
       {"nav_cny", amount()},
       {"parent_firm", parent}});
  add("deals", state.deals.size(),
      {{"deal_id", id_below(state.next_deal_id, "deal")},
       {"fund", index_of(state.funds.size(), "a fund")},
       {"firm", id_below(state.next_firm_id, "firm")},
       {"firm_index", index_or_none(state.firms.size(), "a firm")},
       {"round", code(round_count, "financing round")},
       {"follow_on", flag()},
       {"step", month_up_to(steps)},
       {"amount_cny", amount()},
       {"stake", fraction()},
       {"status", code(3, "deal status")},
       {"proceeds_cny", amount()},
       {"alive", flag()}});
  const ValueRule standing{
      -2.0,  1.0,   std::nullopt,
      false, false, "a standing: -2 removed, -1 notified, 0 normal, 1 priority"};
  const ValueRule focus{
      0.0,
      (1 << sector_count) - 1.0,
      std::nullopt,
      false,
      false,
      "a mask of the park's industries, 0 to " + std::to_string((1 << sector_count) - 1)};
  add("parks", parks,
      {{"floor_space_m2", amount()},
       {"in_zone", flag()},
       {"standing", standing},
       {"strikes", count()},
       {"score", finite_or_nan()},
       {"effort", amount()},
       {"focus_mask", focus}});
  add("cells", cells,
      {{"firms", amount()},
       {"employees", amount()},
       {"revenue_cny", amount()},
       {"log_productivity_mean", finite()},
       {"talent", amount()},
       {"seeking", amount()},
       {"vacancies", amount()},
       {"incubated", amount()},
       {"unicorns", amount()},
       {"rd_spending_cny", amount()},
       {"new_firm_revenue_cny", amount()}});
  ValueRule leader = finite();
  leader.minus_infinity_allowed = true;
  leader.expected += " or -infinity (no chain leader)";
  add("cells", cells, {{"chain_leader_log_productivity", leader}});
  add("cells", cells * stage_count, {{"stage_counts", amount()}});
  add("cells", parks,
      {{"used_floor_space_m2", amount()},
       {"occupancy", amount()},
       {"incubators", amount()},
       {"high_quality_incubators", amount()}});
  // One row per month recorded; the calendar of month i is known.
  const std::size_t months = steps;
  const ValueRule calendar_year{static_cast<double>(base_year),
                                static_cast<double>(base_year) + (months + 11) / 12,
                                std::nullopt,
                                false,
                                false,
                                "a year of the run"};
  add("series", months,
      {{"year", calendar_year},
       {"month", {1.0, 12.0, std::nullopt, false, false, "a month, 1 to 12"}}});
  for (const SeriesInfo& info : SeriesBook::catalogue()) {
    rules["series/park/" + info.name] = {any_number(), months * series_row_size(info.shape, parks)};
  }
  for (const SeriesInfo& info : SeriesBook::city_catalogue()) {
    rules["series/city/" + info.name] = {any_number(), months * series_row_size(info.shape, parks)};
  }
  return rules;
}

void check_state(const RunState& state, const std::string& path) {
  // Counters first: the id rules of the columns are stated in their terms.
  check_counters(state, path);
  const auto rules = state_rules(state);
  visit_state_arrays(state, [&](const std::string& name, const auto& values) {
    const auto rule = rules.find(name);
    if (rule == rules.end()) {
      throw InvariantError("checkpoint array '" + name +
                           "' has no rule in io/checkpoint_rules.cpp: add one");
    }
    if (values.size() != rule->second.length) {
      fail(path, name + " holds " + std::to_string(values.size()) + " values; expected " +
                     std::to_string(rule->second.length));
    }
    const ValueRule& accepted = rule->second.values;
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double value = as_double(values[i]);
      if (!accepted.accepts(value)) {
        fail(path, name + "[" + std::to_string(i) + "] = " + value_text(value) + "; expected " +
                       accepted.expected);
      }
    }
  });
  check_increasing(state.firms.id, "firms/firm_id", path);
  check_increasing(state.talent.id, "talent/talent_id", path);
  check_increasing(state.deals.id, "deals/deal_id", path);
  check_is_index(state.funds.id, "funds/fund_id", path);
  check_is_index(state.incubators.id, "incubators/incubator_id", path);
  check_references(state, path);
  check_targets(state, path);
  check_city(state.city, path);
}

std::uint32_t state_checksum(const RunState& state, double scale) {
  boost::crc_32_type crc;
  visit_state_arrays(
      state, [&](const std::string& name, const auto& values) { crc_array(crc, name, values); });
  crc_array(crc, "city/outside_revenue_cny", state.city.outside_revenue_cny);
  crc_array(crc, "city/outside_talent", state.city.outside_talent);
  crc_array(crc, "city/moved_in_revenue_cny", state.city.moved_in_revenue_cny);
  crc_value(crc, state.city.firms_moved_in);
  crc_value(crc, state.city.outside_vc_cny);
  crc_array(crc, "targets/year", state.targets.years());
  crc_array(crc, "targets/values", state.targets.values());
  crc_array(crc, "targets/met", state.targets.met());
  crc_value(crc, state.seed);
  crc_value(crc, state.steps_done);
  crc_value(crc, state.next_firm_id);
  crc_value(crc, state.first_new_firm_id);
  crc_value(crc, state.next_talent_id);
  crc_value(crc, state.next_deal_id);
  crc_value(crc, scale);
  for (const std::string& change : state.lever_changes) crc_array(crc, "lever_change", change);
  return crc.checksum();
}

}  // namespace clustersim::checkpoint_rules
