#pragma once
// Incubators: located in parks, focused on one leading industry, with a capacity of incubated
// firms, a quality that raises their incubatees' survival, and a "high-quality" status gained
// and lost at the annual evaluation. Incubators are neither founded nor closed (yet), so an
// incubator's index is its id.

#include <cstddef>
#include <cstdint>

#include "clustersim/agents/agent_columns.hpp"
#include "clustersim/core/column.hpp"

namespace clustersim {

struct IncubatorArrays : AgentColumns<IncubatorArrays> {
  using AgentColumns<IncubatorArrays>::visit_columns;  // the read-only overload
  Column<std::int64_t> id;
  Column<std::int16_t> park;
  Column<std::uint8_t> sector;            // sector focus (IC, biomedicine or AI)
  Column<std::uint8_t> alive;             // always 1 for now
  Column<std::int32_t> capacity;          // firms it can hold
  Column<double> quality;                 // log quality: incubatees' hazard falls as e^-quality
  Column<std::uint8_t> high_quality;      // the status the target counts
  Column<std::int32_t> occupants;         // firms incubated now
  Column<std::int32_t> admissions_year;   // this year so far
  Column<std::int32_t> graduations_year;  // this year so far
  Column<std::int32_t> failures_year;     // incubatees that exited this year so far
  Column<std::int32_t> years_meeting;     // consecutive evaluations meeting the criteria
  Column<std::int32_t> years_failing;     // consecutive evaluations failing them
  Column<double> last_score;              // score at the last evaluation

  std::size_t size() const { return id.size(); }

  template <class Visit>
  void visit_columns(Visit&& visit) {
    visit("incubator_id", id, "");
    visit("park", park, "");
    visit("sector", sector, "");
    visit("alive", alive, "");
    visit("capacity", capacity, "firms");
    visit("quality", quality, "log points");
    visit("high_quality", high_quality, "");
    visit("occupants", occupants, "firms");
    visit("admissions_year", admissions_year, "firms");
    visit("graduations_year", graduations_year, "firms");
    visit("failures_year", failures_year, "firms");
    visit("years_meeting", years_meeting, "years");
    visit("years_failing", years_failing, "years");
    visit("last_score", last_score, "1");
  }
};

}  // namespace clustersim
