#pragma once
// Small hand-made states for the unit tests of the phases: one builder per kind of agent (and
// for parks and their cell statistics), with defaults and named setters, so that a test states
// only what matters to it. A builder makes n agents alike; a setter takes one value for all of
// them or a function of the index. build() returns the arrays; a test may still change single
// agents afterwards.
//
//   FirmArrays firms = FirmsBuilder(3).sector(Sector::ai).revenue(2e8).build();
//   TalentArrays talent = TalentBuilder(5).skill([](std::size_t t) { return 0.1 * t; }).build();

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/incubators.hpp"
#include "clustersim/agents/parks.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/model/sectors.hpp"
#include "clustersim/scenario/scenario.hpp"

namespace clustersim::test_support {

// A value for each agent, from its index among the built ones.
template <class T>
using PerIndex = std::function<T(std::size_t)>;

// Firms: by default n living IC firms in park 0 with ids 0, 1, ..., established (stage growth,
// 120 months old, revenue 1e7 CNY/year, 10 employees, productivity 1, cash 1e9 CNY) and not
// incubated (incubator -1); every other column 0 (no staffing gap, no rounds, private).
class FirmsBuilder {
 public:
  explicit FirmsBuilder(std::size_t n) : n_(n) {}

  FirmsBuilder& first_id(std::int64_t id);  // ids id, id + 1, ...
  FirmsBuilder& park(std::int16_t park);
  FirmsBuilder& park(PerIndex<std::int16_t> park);
  FirmsBuilder& sector(Sector sector);
  FirmsBuilder& sector(PerIndex<Sector> sector);
  FirmsBuilder& stage(Stage stage);
  FirmsBuilder& stage(PerIndex<Stage> stage);
  FirmsBuilder& revenue(double cny);
  FirmsBuilder& revenue(PerIndex<double> cny);
  FirmsBuilder& employees(std::int32_t n);
  FirmsBuilder& employees(PerIndex<std::int32_t> n);
  FirmsBuilder& productivity(double productivity);
  FirmsBuilder& productivity(PerIndex<double> productivity);
  FirmsBuilder& age_months(std::int32_t months);
  FirmsBuilder& cash(double cny);
  FirmsBuilder& staffing_gap(std::int32_t gap);
  FirmsBuilder& staffing_gap(PerIndex<std::int32_t> gap);
  FirmsBuilder& incubator(std::int32_t id);  // -1: not incubated
  FirmsBuilder& incubator(PerIndex<std::int32_t> id);
  FirmsBuilder& vc_raised(double cny);
  FirmsBuilder& vc_raised(PerIndex<double> cny);

  FirmArrays build() const;

 private:
  std::size_t n_;
  std::int64_t first_id_ = 0;
  PerIndex<std::int16_t> park_ = [](std::size_t) { return std::int16_t{0}; };
  PerIndex<Sector> sector_ = [](std::size_t) { return Sector::ic; };
  PerIndex<Stage> stage_ = [](std::size_t) { return Stage::growth; };
  PerIndex<double> revenue_ = [](std::size_t) { return 1e7; };
  PerIndex<std::int32_t> employees_ = [](std::size_t) { return 10; };
  PerIndex<double> productivity_ = [](std::size_t) { return 1.0; };
  std::int32_t age_months_ = 120;
  double cash_ = 1e9;
  PerIndex<std::int32_t> staffing_gap_ = [](std::size_t) { return 0; };
  PerIndex<std::int32_t> incubator_ = [](std::size_t) { return -1; };
  PerIndex<double> vc_raised_ = [](std::size_t) { return 0.0; };
};

// Talent: by default n living IC talent in park 0 with ids 0, 1, ..., 30 years old, of log
// skill 0, without a job (employer and employer_index -1, wage 0) and searching in their own
// park (intent search, target_park = park); every other column 0.
class TalentBuilder {
 public:
  explicit TalentBuilder(std::size_t n) : n_(n) {}

  TalentBuilder& first_id(std::int64_t id);  // ids id, id + 1, ...
  TalentBuilder& park(std::int16_t park);
  TalentBuilder& sector(Sector sector);
  TalentBuilder& skill(double skill);
  TalentBuilder& skill(PerIndex<double> skill);
  TalentBuilder& age_months(std::int32_t months);
  TalentBuilder& intent(TalentIntent intent);
  TalentBuilder& intent(PerIndex<TalentIntent> intent);
  // Employed by the firm at row `employer(t)` of `firms` (-1: none): employer id and index, and
  // the firm's park (also searched) and sector; intent stay. `firms` must outlive build().
  TalentBuilder& employed_by(const FirmArrays& firms, std::int32_t employer);
  TalentBuilder& employed_by(const FirmArrays& firms, PerIndex<std::int32_t> employer);

  TalentArrays build() const;

 private:
  std::size_t n_;
  std::int64_t first_id_ = 0;
  std::int16_t park_ = 0;
  Sector sector_ = Sector::ic;
  PerIndex<double> skill_ = [](std::size_t) { return 0.0; };
  std::int32_t age_months_ = 30 * 12;
  PerIndex<TalentIntent> intent_;  // unset: stay if employed, else search
  const FirmArrays* firms_ = nullptr;
  PerIndex<std::int32_t> employer_ = [](std::size_t) { return -1; };
};

// Parks: by default n parks with ids "a", "b", ... (also their names in both languages and
// their district), of 1 km2 at 121 E, 31 N, naming IC their leading industry, with a base-year
// revenue of 1e9 CNY and 1e12 m2 of floor space. Distances and standing only when set (hand-
// built parks without standing are all in the zone). bare(): only the ids and the columns that
// a setter fills, the rest left empty (for phases that read no more).
class ParksBuilder {
 public:
  explicit ParksBuilder(std::size_t n) : n_(n) {}

  ParksBuilder& bare();
  ParksBuilder& area_km2(double km2);
  ParksBuilder& leading_mask(std::uint8_t mask);  // bit s: sector s is a named leading industry
  ParksBuilder& floor_space(double m2);
  ParksBuilder& floor_space(PerIndex<double> m2);
  ParksBuilder& distances(double km);  // between any two parks (0 from a park to itself)
  // The standing of Parks::reset_standing: every park in the zone and normal. Base-year cell
  // revenue empty: 1 CNY in every cell.
  ParksBuilder& standing(std::int64_t max_named, std::vector<double> base_cell_revenue_cny = {});
  // Outside the zone (plaque removed); implies standing(3) if no standing was set.
  ParksBuilder& removed(std::size_t park);

  Parks build() const;

 private:
  std::size_t n_;
  bool bare_ = false;
  bool area_set_ = false, leading_set_ = false, floor_set_ = false;
  double area_km2_ = 1.0;
  std::uint8_t leading_mask_ = 1u << static_cast<int>(Sector::ic);
  PerIndex<double> floor_space_ = [](std::size_t) { return 1e12; };
  bool distances_set_ = false;
  double distance_km_ = 0.0;
  bool standing_set_ = false;
  std::int64_t max_named_ = 3;
  std::vector<double> base_cell_revenue_cny_;
  std::vector<std::size_t> removed_;
};

// The statistics of the cells of n parks, as at the end of the previous step: by default every
// statistic 0 and no chain leader (CellStats::resize).
class CellsBuilder {
 public:
  explicit CellsBuilder(std::size_t parks) { cells_.resize(parks); }

  CellsBuilder& occupancy(double occupancy);  // every park
  CellsBuilder& occupancy(std::size_t park, double occupancy);
  CellsBuilder& firms(std::size_t park, Sector sector, double firms);
  CellsBuilder& talent(std::size_t park, Sector sector, double talent);
  CellsBuilder& seeking(std::size_t park, Sector sector, double seeking);
  CellsBuilder& vacancies(std::size_t park, Sector sector, double vacancies);
  CellsBuilder& chain_leader_log_productivity(std::size_t park, Sector sector, double log_pi);

  CellStats build() const { return cells_; }

 private:
  CellStats cells_;
};

// Incubators: by default n living IC incubators in park 0 with ids 0, 1, ..., capacity 10 and
// log quality 0; no occupants, no status, yearly counters 0.
class IncubatorsBuilder {
 public:
  explicit IncubatorsBuilder(std::size_t n) : n_(n) {}

  IncubatorsBuilder& park(PerIndex<std::int16_t> park);
  IncubatorsBuilder& park(std::int16_t park);
  IncubatorsBuilder& sector(Sector sector);
  IncubatorsBuilder& capacity(std::int32_t firms);
  IncubatorsBuilder& quality(double log_quality);
  IncubatorsBuilder& quality(std::vector<double> log_quality);  // one per incubator

  IncubatorArrays build() const;

 private:
  std::size_t n_;
  PerIndex<std::int16_t> park_ = [](std::size_t) { return std::int16_t{0}; };
  Sector sector_ = Sector::ic;
  std::int32_t capacity_ = 10;
  PerIndex<double> quality_ = [](std::size_t) { return 0.0; };
};

// Funds, one of each kind given, ids 0, 1, ...: living, open generalists (sector 255) in park
// 0 of vintage 2022 that lead every round, hard_tech 1, 5 investment and 10 lifetime years,
// 10 deals a year, 1e9 CNY committed, no parent firm (-1); nothing invested yet.
class FundsBuilder {
 public:
  explicit FundsBuilder(std::vector<FundKind> kinds) : kinds_(std::move(kinds)) {}

  FundsBuilder& size(double cny);

  FundArrays build() const;

 private:
  std::vector<FundKind> kinds_;
  double size_cny_ = 1e9;
};

// --- Shapes that several test files share, as builders to refine.

// Firms on the labour market: ids from 100, start-ups of age 0 without staff, productivity 1,
// 2, 3, ... (wage offers rising with the index), revenue 1e7, cash 1e6, each wanting
// `vacancies` more staff.
FirmsBuilder hiring_firms(std::size_t n, std::int32_t vacancies);

// Firms just founded: start-ups of age 0 with one employee, revenue 1e6 and cash 1e6.
FirmsBuilder new_firms(std::size_t n);

// One young, productive IC firm (id 42, start-up, 24 months old, revenue 2e7, cash 1e6) that
// seeks a round this month under eager_vc().
FirmsBuilder vc_seeker(double productivity = 4.0);

// n such firms (productivity 4), ids from 1000, in park 0: refine park or productivity.
FirmsBuilder vc_seekers(std::size_t n);

// Job seekers (the TalentBuilder's defaults) with log skills 0, 0.1, 0.2, ...
TalentBuilder seekers(std::size_t n);

// --- Scenarios.

// Deterministic growth: no shocks, no productivity, agglomeration or youth effects.
Scenario quiet_growth(double drift);

// Venture capital at once: every eligible firm seeks a round this month (monthly probability
// 1), and funds read its signal without noise.
Scenario eager_vc();

// No momentum in any cell of `parks` parks (vc_deals' momentum argument).
std::vector<double> flat_momentum(std::size_t parks = 1);

}  // namespace clustersim::test_support
