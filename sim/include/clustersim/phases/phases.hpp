#pragma once
// The phases of a monthly step. Each is a function over the agent arrays; per-agent work runs
// on the Executor and draws from streams keyed by (seed, agent id, step, purpose).

#include <cmath>
#include <cstdint>
#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/core/parallel.hpp"
#include "clustersim/model/city.hpp"
#include "clustersim/model/policy.hpp"
#include "clustersim/model/series.hpp"
#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

struct StepContext {
  const ModelParameters& params;
  const Executor& executor;
  std::uint64_t seed;
  std::uint32_t step;  // 1 for January of the base year
  const PolicyState& policy = PolicyState::neutral();
};

inline constexpr double months_per_year = 12.0;
// Living talent's |log skill| stays below this (check_talent_invariants): staff_firms sums
// skill in fixed point, and no plausible log skill comes near it.
inline constexpr double talent_skill_bound = 1024.0;

// What happened during one step, counted in agents (the recorder rescales to full scale).
// Per cell (park x sector) unless noted.
struct StepFlows {
  std::vector<double> entries, exits, spinoffs;
  std::vector<double> hires, talent_arrivals, talent_departures;
  std::vector<double> talent_left_zone;  // staff of firms that left for the rest of the city
  std::vector<double> incubator_admissions, graduations;
  std::vector<double> vc_invested, vc_rounds, ipos, acquisitions, write_offs;
  std::vector<double> vc_invested_by_round;  // park x round, row-major
  std::vector<double> innovations, patents, pct_applications;
  std::vector<double> firm_moves;    // park x park, row-major: origin, destination
  std::vector<double> talent_moves;  // park x park, row-major: origin, destination
  // For the step audit (check_step_accounts), not recorded as series:
  std::vector<double> firms_left_zone;   // firms that moved to the rest of the city, per cell
  std::vector<double> talent_relocated;  // park x park: staff moved with their firm
  double operating_cash_cny = 0.0;       // all firms: revenue x margin of the month

  explicit StepFlows(std::size_t parks)
      : entries(parks * sector_count),
        exits(parks * sector_count),
        spinoffs(parks * sector_count),
        hires(parks * sector_count),
        talent_arrivals(parks * sector_count),
        talent_departures(parks * sector_count),
        talent_left_zone(parks * sector_count),
        incubator_admissions(parks * sector_count),
        graduations(parks * sector_count),
        vc_invested(parks * sector_count),
        vc_rounds(parks * sector_count),
        ipos(parks * sector_count),
        acquisitions(parks * sector_count),
        write_offs(parks * sector_count),
        vc_invested_by_round(parks * round_count),
        innovations(parks * sector_count),
        patents(parks * sector_count),
        pct_applications(parks * sector_count),
        firm_moves(parks * parks),
        talent_moves(parks * parks),
        firms_left_zone(parks * sector_count),
        talent_relocated(parks * parks) {}
};

// Monthly probability from an annual one.
double monthly_probability(double annual);

// Whether a uniform draw u falls below the monthly probability of an annual one. The monthly
// probability never exceeds the annual one, so draws above it skip the power (most agents,
// most months); the answer is that of u < monthly_probability(annual).
inline bool happens_this_month(double u, double annual) {
  return u < annual && u < monthly_probability(annual);
}

// Revenue per employee at productivity 1 in month `step` (0: the base-year state, 1: January
// of the base year): the base figure grown at the trend firms.revenue_per_employee_growth.
// Exactly the base figure when the trend is 0.
inline double revenue_per_employee_cny(const ModelParameters& params, std::uint32_t step) {
  return params.revenue_per_employee_cny *
         std::exp(params.revenue_per_employee_growth * step / months_per_year);
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

// Per park x sector totals of living firms (full-scale equivalents) and park occupancy.
void measure_cells(const FirmArrays& firms, const Parks& parks, const ModelParameters& params,
                   const Executor& executor, CellStats& cells,
                   const PolicyState& policy = PolicyState::neutral());

// R&D intensity (spending per CNY of revenue) of a sector in a park, with IP protection.
double rd_intensity(int sector, std::size_t park, const ModelParameters& params,
                    const PolicyState& policy);

// Per park x sector talent and job seekers (full-scale equivalents).
void measure_talent(const TalentArrays& talent, const ModelParameters& params,
                    const Executor& executor, CellStats& cells);

// Land supply: each park's floor space grows at the scenario's rate, plus the land levers (new
// land, industry upstairs in proportion to the space used) and a priority park's extra land.
void supply_floor_space(Parks& parks, const CellStats& cells, const StepContext& ctx);

// The rest of the city, sized from the zone's base-year revenue and its share of the city.
City initial_city(const CellStats& cells, const ModelParameters& params);
// The region outside the zone grows at its own rate; its venture capital follows its revenue.
void grow_city(City& city, const StepContext& ctx);
// Talent of the region outside the zone from its revenue.
void measure_city(City& city, const ModelParameters& params, std::uint32_t step);

// The annual evaluation of parks (December, while the evaluation lever acts): the composite
// score of each park in the zone (NaN outside) from the year's series, weighted z-scores of
// revenue growth, revenue per km2, patents per employee and new firms per firm.
std::vector<double> park_scores(const SeriesBook& series, const Parks& parks,
                                const ModelParameters& params);
// Ranks the parks in the zone by score (ties: park order). A park among the bottom ones with a
// score below the failing score gets a strike: the first is a notice, the second in a row
// removes its plaque (it leaves the zone for good). Others lose their strikes; the top ones get
// priority.
void rank_parks(const std::vector<double>& score, const ModelParameters& params, Parks& parks);
void evaluate_parks(const SeriesBook& series, const ModelParameters& params, Parks& parks);

// January, incubation levers: new high-quality incubators (in the park and industry with the
// most firms per incubator) and upgrades of the quality of every incubator in the zone.
void develop_incubators(IncubatorArrays& incubators, const Parks& parks, const CellStats& cells,
                        const StepContext& ctx);

// Productivity spillovers, revenue growth, head count, cash, age and stage of every living firm.
// Leading-sector firms keep their talent head count; their revenue is capped by what that
// staff can produce and the gap to the staff they want becomes vacancies (staffing_gap).
// `flows`, when given, receives the month's operating cash flow (for the step's accounts).
void grow_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                const StepContext& ctx, StepFlows* flows = nullptr);

// R&D: each firm spends its sector's R&D intensity; spending buys innovation events
// (productivity jumps) and patent applications (some under the PCT); firms of a park and
// industry with a chain leader catch up with its productivity (supplier upgrading).
void innovate(FirmArrays& firms, const CellStats& cells, const StepContext& ctx, StepFlows& flows);

// December: titles by documented criteria - chain leaders (the largest leading-industry firm
// of a park above a revenue bound), hidden champions, little giants; unicorns are kept (set by
// valuations). Firms that no longer qualify return to their size class.
void award_titles(FirmArrays& firms, const ModelParameters& params, const Executor& executor);

// Firms in congested parks or short of talent move, with a probability rising with the
// pressure, to a park with room and talent, nearer ones preferred; their talent move with them.
// Some leading-industry firms leave the zone for the rest of the city instead (not venture-backed
// ones); their talent leave with them.
void relocate_firms(FirmArrays& firms, TalentArrays& talent, const Parks& parks,
                    const CellStats& cells, const StepContext& ctx, City& city, StepFlows& flows);

// Exit by age- and size-dependent hazard (lower while incubated), or when cash runs out. Adds
// exits (agents) per cell.
void exit_firms(FirmArrays& firms, const IncubatorArrays& incubators, const StepContext& ctx,
                std::vector<double>& exits_per_cell);

// Incubatees that exited count as failures; those past the incubation period graduate into
// park space when their park has room (relay incubation), and all leave at the maximum.
void graduate_incubatees(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                         const StepContext& ctx, StepFlows& flows);

// Founding teams from universities and proof-of-concept centres, founded inside incubators
// that have room (new firms, already incubated).
void found_incubator_teams(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                           const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows);

// The incubator of a park and industry with room and the highest quality (ties: lower id), or
// -1 if none.
std::int32_t best_incubator_with_room(const IncubatorArrays& incubators, std::int16_t park,
                                      int sector);

// New leading-sector firms from index `first` that apply are admitted, in firm order, by the
// best incubator of their park and industry that has room.
void admit_to_incubators(IncubatorArrays& incubators, FirmArrays& firms, std::size_t first,
                         const StepContext& ctx, StepFlows& flows);

// The annual evaluation (December): each incubator's score and its high-quality status.
void evaluate_incubators(IncubatorArrays& incubators, const ModelParameters& params);
// January: the year's counters start again (December's snapshot keeps last year's).
void start_incubator_year(IncubatorArrays& incubators);

// New funds of each kind: in the base year the initial population (vintages spread over the
// investment period), afterwards each January's Poisson number of new funds.
void raise_funds(FundArrays& funds, const FirmArrays& firms, const ModelParameters& params,
                 std::uint64_t seed, int year, std::uint32_t step, bool base_year_funds,
                 const PolicyState& policy = PolicyState::neutral());

// Exits: stakes in exited firms are written off; venture-backed firms are marked to revenue,
// become unicorns (and stop being one), list or are acquired, paying their funds out.
void vc_exits(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const StepContext& ctx,
              StepFlows& flows);

// Rounds: firms seek money; funds screen their signals, existing investors follow on from
// reserves, a lead and co-investors fill the round, guidance funds crowd in private money.
// `momentum` is each cell's log revenue growth over the last twelve months (0 before a year
// has passed); funds favour firms of growing parks and industries.
void vc_deals(FirmArrays& firms, FundArrays& funds, DealArrays& deals, const StepContext& ctx,
              int year, const std::vector<double>& momentum, std::int64_t& next_deal_id,
              StepFlows& flows);

// December: funds' holdings marked (NAV), funds past their lifetime closed.
void close_fund_year(FundArrays& funds, const DealArrays& deals, const FirmArrays& firms,
                     const ModelParameters& params, int year);
// January: deal counters start again (December's snapshot keeps last year's).
void start_fund_year(FundArrays& funds);

// Incubators and high-quality incubators per park (full-scale equivalents).
void measure_incubators(const IncubatorArrays& incubators, const ModelParameters& params,
                        CellStats& cells);

// New firms per park x sector; ids continue from next_firm_id. Adds entries (agents) per cell.
void enter_firms(FirmArrays& firms, const Parks& parks, const CellStats& cells,
                 const StepContext& ctx, std::int64_t& next_firm_id,
                 std::vector<double>& entries_per_cell);

// Head count of a firm at creation: leading sectors staff up to the revenue (ceil, so that the
// staff can produce it), other sectors to the nearest person; at least one.
// `step` dates the revenue per employee (revenue_per_employee_cny).
std::int32_t initial_head_count(double revenue_cny, double productivity, int sector,
                                const ModelParameters& params, std::uint32_t step);

// Fills the attributes of a new firm at index i whose id, park and sector are set (revenue,
// productivity, cash, head count, stage; staffing gap 0).
void initialise_new_firm(FirmArrays& firms, std::size_t i, const CellStats& cells,
                         const StepContext& ctx);

// Appends one new firm with this id, park and sector, initialised as above; returns its index.
std::size_t append_new_firm(FirmArrays& firms, std::int64_t id, std::int16_t park,
                            std::uint8_t sector, const CellStats& cells, const StepContext& ctx);

// Talent's month (per agent, parallel): ageing and skill growth, retirement and departure,
// release from exited or over-staffed employers, spin-off founding, and the choice of a market
// to search (the home park, or another by distance and vacancies).
void talent_life(TalentArrays& talent, const FirmArrays& firms, const Parks& parks,
                 const CellStats& cells, const StepContext& ctx, StepFlows& flows);

// Talent who chose to found a firm leave their employer and found it, in talent order.
void enter_spinoffs(TalentArrays& talent, FirmArrays& firms, const CellStats& cells,
                    const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows);

// New talent: founding teams of the leading-sector firms in [first_new_firm, end_new_firm),
// graduates (in the graduation month), training programmes and international arrivals.
void talent_arrivals(TalentArrays& talent, const FirmArrays& firms, std::size_t first_new_firm,
                     std::size_t end_new_firm, const Parks& parks, const CellStats& cells,
                     const StepContext& ctx, std::int64_t& next_talent_id, StepFlows& flows);

// The labour market of each park x leading sector: searchers ranked by skill meet vacancies
// ranked by wage offer (sorting, O(N log N)); the employed accept only a better wage.
void match_labour(TalentArrays& talent, const FirmArrays& firms, const StepContext& ctx,
                  StepFlows& flows);

// Leading-sector firms' head count from their talent; the staffing gap shrinks by the hires.
// Team skill: the staff's mean log skill, summed in fixed point (the same for any thread count).
void staff_firms(FirmArrays& firms, const TalentArrays& talent, const Executor& executor);

// Throws InvariantError naming the first firm (by index order) whose state is not finite or
// not positive where it must be, with the phase and step.
void check_firm_invariants(const FirmArrays& firms, const Executor& executor, const char* phase,
                           std::uint32_t step);

// Throws InvariantError naming the first living talent (by index order) whose skill or wage is
// not finite, whose wage is negative, or (with `check_employers`) whose employer is gone or in
// another park or sector. The employer look-up is one random access per employee, so the step
// checks employers once a year, right after the compaction that renumbers firms.
void check_talent_invariants(const TalentArrays& talent, const FirmArrays& firms,
                             const Executor& executor, const char* phase, std::uint32_t step,
                             bool check_employers = true);

// The books of one step: living agents per park and the firms' cash, taken before the step's
// phases and again after them.
struct StepAccounts {
  std::vector<std::int64_t> firms_by_park, talent_by_park;
  std::size_t firm_rows = 0;    // firms that existed when the accounts were taken
  double cash_cny = 0.0;        // sum of their cash
  double cash_scale_cny = 0.0;  // sum of |cash|, the size of the rounding the sum can carry
};
// Cash is summed over the first `cash_rows` firm rows (all, by default): after the step, the
// rows that existed before it.
// With `counted`, its agent counts are taken as they are and only the cash is summed: between
// two steps nothing moves agents, so one step's closing counts open the next.
StepAccounts take_accounts(const FirmArrays& firms, const TalentArrays& talent, std::size_t n_parks,
                           const Executor& executor,
                           std::size_t cash_rows = static_cast<std::size_t>(-1),
                           const StepAccounts* counted = nullptr);

// Conservation between the two accounts: per park, living firms and talent change only by the
// step's recorded flows (entries, exits, moves, arrivals, departures), and the cash of the firms
// that existed before changes only by their operating cash flow and the VC rounds they raised.
// Throws InvariantError naming the park (or the cash totals), the step and the flows.
void check_step_accounts(const StepAccounts& before, const StepAccounts& after,
                         const StepFlows& flows, const Parks& parks, std::uint32_t step);

// Once a year, after December's outputs: dead firms and departed talent leave the arrays, and
// talent's employers and deals' firms follow their firms' new indices. Columns compact as
// parallel tasks, each in order, so the result does not depend on the thread count.
void compact_agents(FirmArrays& firms, TalentArrays& talent, DealArrays& deals,
                    const Executor& executor);

}  // namespace clustersim
