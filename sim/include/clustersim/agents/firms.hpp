#pragma once
// Firms as a structure of arrays. Dead firms stay in place (alive = 0) until the yearly
// compaction, so indices are stable within a year; ids are stable for ever.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "clustersim/agents/agent_columns.hpp"
#include "clustersim/core/column.hpp"

namespace clustersim {

struct FirmArrays : AgentColumns<FirmArrays> {
  using AgentColumns<FirmArrays>::visit_columns;  // the read-only overload
  Column<std::int64_t> id;                        // unique, never reused
  Column<std::int16_t> park;                      // index into Parks
  Column<std::uint8_t> sector;                    // Sector
  Column<std::uint8_t> stage;                     // Stage
  Column<std::uint8_t> alive;                     // 1 while the firm exists
  Column<double> revenue_cny;                     // annualised revenue run-rate, CNY/year
  Column<std::int32_t> employees;                 // head count
  Column<double> productivity;                    // revenue per employee relative to the reference
  Column<std::int32_t> age_months;                // months since founding
  Column<double> cash_cny;                        // cash holdings, CNY
  Column<std::int32_t> staffing_gap;  // leading sectors: wanted minus actual talent (+: vacancies)
  Column<std::int32_t> incubator;     // incubator id while incubated, else -1
  Column<std::int32_t> incubated_months;  // months in the incubator so far
  Column<double> team_skill;              // mean log skill of its talent (leading sectors)
  Column<std::uint8_t> rounds;            // venture rounds raised
  Column<std::int32_t> last_round_step;   // month of the last round (0: none)
  Column<double> post_money_cny;          // valuation at the last round
  Column<double> valuation_cny;           // post-money marked to revenue since the round
  Column<double> revenue_at_round_cny;    // revenue when the last round closed
  Column<double> vc_raised_cny;           // venture capital raised so far
  Column<std::uint8_t> exit_route;        // 0 private, 1 listed (IPO), 2 acquired, 3 left the zone

  std::size_t size() const { return id.size(); }

  // visit(name, column, unit) for every column, in a fixed order (outputs, bindings, resizing).
  template <class Visit>
  void visit_columns(Visit&& visit) {
    visit("firm_id", id, "");
    visit("park", park, "");
    visit("sector", sector, "");
    visit("stage", stage, "");
    visit("alive", alive, "");
    visit("revenue_cny", revenue_cny, "CNY/year");
    visit("employees", employees, "persons");
    visit("productivity", productivity, "1");
    visit("age_months", age_months, "months");
    visit("cash_cny", cash_cny, "CNY");
    visit("staffing_gap", staffing_gap, "persons");
    visit("incubator", incubator, "incubator id");
    visit("incubated_months", incubated_months, "months");
    visit("team_skill", team_skill, "log points");
    visit("rounds", rounds, "rounds");
    visit("last_round_step", last_round_step, "month");
    visit("post_money_cny", post_money_cny, "CNY");
    visit("valuation_cny", valuation_cny, "CNY");
    visit("revenue_at_round_cny", revenue_at_round_cny, "CNY/year");
    visit("vc_raised_cny", vc_raised_cny, "CNY");
    visit("exit_route", exit_route, "");
  }
};

}  // namespace clustersim
