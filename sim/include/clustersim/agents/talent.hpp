#pragma once
// Talent: one agent per person of talent in the three leading industries, as a structure of
// arrays. Dead agents (left Shanghai, retired) stay in place (alive = 0) until the yearly
// compaction; ids are never reused.

#include <cstddef>
#include <cstdint>

#include "clustersim/agents/agent_columns.hpp"
#include "clustersim/core/column.hpp"

namespace clustersim {

// What a talent agent does this month, decided in talent_life and carried out by the phases
// after it.
enum class TalentIntent : std::uint8_t {
  stay = 0,        // keeps the job (or keeps seeking in the home park)
  search = 1,      // looks for a job in market (target_park, sector)
  found_firm = 2,  // leaves the employer to found a start-up (spin-off)
};

struct TalentArrays : AgentColumns<TalentArrays> {
  using AgentColumns<TalentArrays>::visit_columns;  // the read-only overload
  Column<std::int64_t> id;                          // unique, never reused
  Column<std::int16_t> park;                        // park of work (or of search, when seeking)
  Column<std::uint8_t> sector;                      // IC, biomedicine or AI
  Column<std::uint8_t> alive;                       // 1 while in the zone's talent pool
  Column<double> skill;                             // log skill (dimensionless)
  Column<std::int64_t> employer;                    // firm id, -1 while seeking a job
  Column<std::int32_t> employer_index;  // index of the employer in FirmArrays, -1 if none
  Column<std::int32_t> age_months;      // age
  Column<double> wage_cny;              // annual wage (0 while seeking)
  Column<std::int32_t> months_seeking;  // months since the last job ended (0 when employed)
  Column<std::uint8_t> intent;          // TalentIntent of this month
  Column<std::int16_t> target_park;     // market searched this month

  std::size_t size() const { return id.size(); }

  // visit(name, column, unit) for every column, in a fixed order (outputs, bindings, resizing).
  template <class Visit>
  void visit_columns(Visit&& visit) {
    visit("talent_id", id, "");
    visit("park", park, "");
    visit("sector", sector, "");
    visit("alive", alive, "");
    visit("skill", skill, "log points");
    visit("employer", employer, "firm id");
    visit("employer_index", employer_index, "");
    visit("age_months", age_months, "months");
    visit("wage_cny", wage_cny, "CNY/year");
    visit("months_seeking", months_seeking, "months");
    visit("intent", intent, "");
    visit("target_park", target_park, "");
  }
};

}  // namespace clustersim
