#pragma once
// Venture-capital funds and their deals (holdings), as structures of arrays.

#include <cstddef>
#include <cstdint>

#include "clustersim/agents/agent_columns.hpp"
#include "clustersim/core/column.hpp"

namespace clustersim {

enum class FundKind : std::uint8_t { government = 0, private_vc = 1, corporate = 2 };
inline constexpr int fund_kind_count = 3;

// Financing rounds: seed, A, B, C, later (D and beyond).
inline constexpr int round_count = 5;

struct FundArrays : AgentColumns<FundArrays> {
  using AgentColumns<FundArrays>::visit_columns;  // the read-only overload
  Column<std::int64_t> id;
  Column<std::uint8_t> kind;         // FundKind
  Column<std::int16_t> park;         // home park (a corporate fund: its parent's)
  Column<std::uint8_t> alive;        // always 1: funds are kept for the record
  Column<std::uint8_t> open;         // 1 until the end of its lifetime
  Column<std::uint8_t> sector;       // focus: 0-3 a sector, 255 generalist
  Column<double> hard_tech;          // weight on the leading industries, 0-1
  Column<std::uint8_t> first_round;  // earliest round it leads
  Column<std::uint8_t> last_round;   // latest round it leads
  Column<std::int32_t> vintage_year;
  Column<std::int32_t> investment_years;
  Column<std::int32_t> lifetime_years;
  Column<std::int32_t> deals_per_year;  // deal capacity
  Column<std::int32_t> deals_this_year;
  Column<double> size_cny;           // committed capital
  Column<double> invested_cny;       // new deals and follow-ons so far
  Column<double> follow_on_cny;      // of which follow-ons (from reserves)
  Column<double> realized_cny;       // proceeds from exits so far
  Column<double> nav_cny;            // value of the holdings still held (last mark)
  Column<std::int64_t> parent_firm;  // corporate funds: the parent firm's id; else -1

  std::size_t size() const { return id.size(); }

  template <class Visit>
  void visit_columns(Visit&& visit) {
    visit("fund_id", id, "");
    visit("kind", kind, "");
    visit("park", park, "");
    visit("alive", alive, "");
    visit("open", open, "");
    visit("sector", sector, "");
    visit("hard_tech", hard_tech, "1");
    visit("first_round", first_round, "");
    visit("last_round", last_round, "");
    visit("vintage_year", vintage_year, "year");
    visit("investment_years", investment_years, "years");
    visit("lifetime_years", lifetime_years, "years");
    visit("deals_per_year", deals_per_year, "deals/year");
    visit("deals_this_year", deals_this_year, "deals");
    visit("size_cny", size_cny, "CNY");
    visit("invested_cny", invested_cny, "CNY");
    visit("follow_on_cny", follow_on_cny, "CNY");
    visit("realized_cny", realized_cny, "CNY");
    visit("nav_cny", nav_cny, "CNY");
    visit("parent_firm", parent_firm, "firm id");
  }
};

enum class DealStatus : std::uint8_t { active = 0, exited = 1, written_off = 2 };

// One fund's stake from one round (a holding). Follow-ons are deals of their own.
struct DealArrays : AgentColumns<DealArrays> {
  using AgentColumns<DealArrays>::visit_columns;  // the read-only overload
  Column<std::int64_t> id;
  Column<std::int64_t> fund;        // fund id (= index: funds are never dropped)
  Column<std::int64_t> firm;        // firm id
  Column<std::int32_t> firm_index;  // index in FirmArrays, re-mapped at compaction
  Column<std::uint8_t> round;       // 0 seed ... 4 later
  Column<std::uint8_t> follow_on;   // 1 if paid from the fund's reserves
  Column<std::int32_t> step;        // month of the deal
  Column<double> amount_cny;
  Column<double> stake;         // share of the firm bought
  Column<std::uint8_t> status;  // DealStatus
  Column<double> proceeds_cny;  // at exit
  Column<std::uint8_t> alive;   // always 1 (deals are kept for the record)

  std::size_t size() const { return id.size(); }

  template <class Visit>
  void visit_columns(Visit&& visit) {
    visit("deal_id", id, "");
    visit("fund", fund, "fund id");
    visit("firm", firm, "firm id");
    visit("firm_index", firm_index, "");
    visit("round", round, "");
    visit("follow_on", follow_on, "");
    visit("step", step, "month");
    visit("amount_cny", amount_cny, "CNY");
    visit("stake", stake, "fraction");
    visit("status", status, "");
    visit("proceeds_cny", proceeds_cny, "CNY");
    visit("alive", alive, "");
  }
};

}  // namespace clustersim
