#pragma once
// The policy levers of the 2023 Opinions and Action Plan (docs/policy.md), each declared once in
// CLUSTERSIM_LEVERS: its name in the code, its scenario key under "policy.", its lever group
// and the mechanism it acts through. The enum, the count and the catalogue are derived from that
// list, so a new lever is one line here plus its effect parameters, its rule, its test and its
// documentation. Intensity is dimensionless: 1 = as announced, 0 = off.

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace clustersim {

// X(name, key, group, mechanism)
#define CLUSTERSIM_LEVERS(X)                                                                  \
  X(evaluation, "evaluation.ranking", "evaluation & elimination",                             \
    "annual ranking of parks on a composite score; one notice, two strikes and the plaque"    \
    " is removed; land and capital priority for the top parks")                               \
  X(focus, "focus.leading_industries", "leading-industry focus",                              \
    "each park names at most focus.max_named leading industries; stronger agglomeration "     \
    "in them, weaker support outside them")                                                   \
  X(land_supply, "land.supply", "land & space",                                               \
    "more industrial land: faster growth of floor space")                                     \
  X(standard_factories, "land.standard_factories", "land & space",                            \
    "standard plots and factories held ready: new firms find space in crowded parks")         \
  X(industry_upstairs, "land.upstairs", "land & space",                                       \
    "industry upstairs: multi-storey factories add floor space in proportion to what is "     \
    "used")                                                                                   \
  X(plot_consolidation, "land.consolidation", "land & space",                                 \
    "small scattered plots consolidated: congestion slows firms less")                        \
  X(leader_packages, "cultivation.leader_packages", "firm cultivation",                       \
    "service packages for chain leaders and large tech leaders: faster growth")               \
  X(title_services, "cultivation.title_services", "firm cultivation",                         \
    "market, financing and listing services for unicorns, hidden champions, little giants")   \
  X(consortia, "cultivation.consortia", "firm cultivation",                                   \
    "innovation consortia led by large firms: more innovation events in large firms")         \
  X(new_incubators, "incubation.new_incubators", "incubation",                                \
    "new high-quality incubators founded each January")                                       \
  X(incubator_upgrades, "incubation.upgrades", "incubation",                                  \
    "existing incubators upgraded: quality rises")                                            \
  X(relay_incubation, "incubation.relay", "incubation",                                       \
    "relay incubation: graduates find park space even in crowded parks")                      \
  X(proof_of_concept, "incubation.proof_of_concept", "incubation",                            \
    "proof-of-concept centres and university science parks: more founding teams")             \
  X(advance_incubation, "incubation.advance", "incubation",                                   \
    "advance incubation of frontier technology: founding teams start more productive")        \
  X(government_fund, "finance.government_fund", "science & tech finance",                     \
    "government innovation fund: more guidance funds, crowding in more private money")        \
  X(incubation_investment, "finance.incubation_investment", "science & tech finance",         \
    "incubation-investment linkage: incubatees seek venture rounds more often")               \
  X(corporate_vc, "finance.corporate_vc", "science & tech finance",                           \
    "corporate venture funds of tech leaders: more corporate funds")                          \
  X(investment_loan, "finance.investment_loan", "science & tech finance",                     \
    "investment-loan linkage: a bank loan comes with each venture round, so the firm "        \
    "scales faster")                                                                          \
  X(talent_training, "talent.training", "talent", "training of scarce talent: more trainees") \
  X(postdoc_stations, "talent.postdoc", "talent",                                             \
    "postdoctoral stations in firms: skilled postdocs arrive")                                \
  X(international_talent, "talent.international", "talent",                                   \
    "international talent communities: more arrivals from abroad, fewer departures")          \
  X(ip_protection, "ip.protection", "intellectual property",                                  \
    "fast examination, grant and enforcement: firms appropriate more of their R&D (more "     \
    "R&D, less imitation)")                                                                   \
  X(ip_pledge_loans, "ip.pledge_loans", "intellectual property",                              \
    "IP pledge loans: R&D-active firms borrow against their IP")                              \
  X(open_innovation, "open.innovation_centres", "open innovation",                            \
    "open-innovation centres of large firms: suppliers catch up faster with chain leaders")   \
  X(choke_point, "open.choke_point", "open innovation",                                       \
    "open competitions on choke-point technologies: more innovation in IC and AI")            \
  X(ic_programme, "industry.ic", "industry programmes",                                       \
    "IC design and automotive-grade chips: IC growth")                                        \
  X(biomedicine_programme, "industry.biomedicine", "industry programmes",                     \
    "R&D in Zhangjiang + manufacturing in Shanghai: biomedicine grows in the zone and in "    \
    "the city outside it")                                                                    \
  X(ai_compute, "industry.ai_compute", "industry programmes",                                 \
    "AI compute and data infrastructure: AI productivity grows")                              \
  X(global_network, "global.network", "global network",                                       \
    "cross-border flows: more international talent and private (foreign) funds")              \
  X(cross_park_coordination, "coordination.cross_park", "coordination",                       \
    "cross-park coordination: talent search and firm relocation reach further across "        \
    "parks")

enum class Lever : std::uint8_t {
#define CLUSTERSIM_LEVER_NAME(name, key, group, mechanism) name,
  CLUSTERSIM_LEVERS(CLUSTERSIM_LEVER_NAME)
#undef CLUSTERSIM_LEVER_NAME
};

struct LeverInfo {
  std::string_view key;      // scenario key under "policy.", e.g. "land.supply"
  std::string_view group;    // the lever group of the policy (docs/policy.md)
  std::string_view summary;  // the mechanism, in a line
};

inline constexpr std::array lever_table = {
#define CLUSTERSIM_LEVER_INFO(name, key, group, mechanism) LeverInfo{key, group, mechanism},
    CLUSTERSIM_LEVERS(CLUSTERSIM_LEVER_INFO)
#undef CLUSTERSIM_LEVER_INFO
};
inline constexpr std::size_t lever_count = lever_table.size();

inline const std::array<LeverInfo, lever_count>& lever_catalogue() { return lever_table; }
inline const LeverInfo& lever_info(Lever lever) {
  return lever_table[static_cast<std::size_t>(lever)];
}

// The twelve lever groups of the policy (docs/policy.md), in the order of the catalogue: the
// index of the `policy_cost_cny` series.
inline constexpr std::array<std::string_view, 12> lever_group_names = {"evaluation & elimination",
                                                                       "leading-industry focus",
                                                                       "land & space",
                                                                       "firm cultivation",
                                                                       "incubation",
                                                                       "science & tech finance",
                                                                       "talent",
                                                                       "intellectual property",
                                                                       "open innovation",
                                                                       "industry programmes",
                                                                       "global network",
                                                                       "coordination"};
inline constexpr std::size_t lever_group_count = lever_group_names.size();
// Their ids: the first part of their levers' keys (series columns, scenario keys).
inline constexpr std::array<std::string_view, lever_group_count> lever_group_ids = {
    "evaluation", "focus", "land", "cultivation", "incubation", "finance",
    "talent",     "ip",    "open", "industry",    "global",     "coordination"};

constexpr std::size_t lever_group_index(std::string_view group) {
  for (std::size_t g = 0; g < lever_group_count; ++g) {
    if (lever_group_names[g] == group) return g;
  }
  return lever_group_count;
}
// Each lever's group (an index of lever_group_names), by lever.
inline constexpr std::array<std::size_t, lever_count> lever_group_of = [] {
  std::array<std::size_t, lever_count> group{};
  for (std::size_t l = 0; l < lever_count; ++l) group[l] = lever_group_index(lever_table[l].group);
  return group;
}();
// Every lever names one of the twelve groups, and its key starts with the group's id (checked
// when compiling).
static_assert([] {
  for (std::size_t l = 0; l < lever_count; ++l) {
    const std::size_t g = lever_group_of[l];
    if (g == lever_group_count) return false;
    const std::string_view id = lever_group_ids[g], key = lever_table[l].key;
    if (key.substr(0, id.size()) != id || key[id.size()] != '.') return false;
  }
  return true;
}());

// A lever's schedule: `intensity` (1 = as announced, 0 = off) from January of start_year to
// December of end_year, and its time profile: its effect lasts `effect_years` from start_year
// (0: as long as it acts; a programme of that length) and halves every `half_life_years` (0: it
// does not fade). Its fiscal cost is `cost_cny_per_year` per unit of intensity for every year
// the programme runs, faded or not: the budget is spent while the programme runs.
struct LeverSchedule {
  double intensity{};
  std::int64_t start_year{};
  std::int64_t end_year{};
  double effect_years{};
  double half_life_years{};
  double cost_cny_per_year{};

  // Whether the programme runs in `year`: inside the schedule and, if temporary, its length.
  bool runs(int year) const {
    if (year < start_year || year > end_year) return false;
    return effect_years <= 0.0 || static_cast<double>(year - start_year) < effect_years;
  }
  double level(int year) const {
    if (!runs(year) || intensity == 0.0) return 0.0;
    if (half_life_years <= 0.0) return intensity;
    return intensity * std::exp2(-static_cast<double>(year - start_year) / half_life_years);
  }
  // CNY per year at full scale.
  double cost(int year) const { return runs(year) ? intensity * cost_cny_per_year : 0.0; }
};

}  // namespace clustersim
