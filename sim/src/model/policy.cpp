#include "clustersim/model/policy.hpp"

namespace clustersim {

const std::array<LeverInfo, lever_count>& lever_catalogue() {
  static const std::array<LeverInfo, lever_count> levers = {{
      {"evaluation.ranking", "evaluation & elimination",
       "annual ranking of parks on a composite score; one notice, two strikes and the plaque is "
       "removed; land and capital priority for the top parks"},
      {"focus.leading_industries", "leading-industry focus",
       "each park names at most focus.max_named leading industries; stronger agglomeration in "
       "them, weaker support outside them"},
      {"land.supply", "land & space", "more industrial land: faster growth of floor space"},
      {"land.standard_factories", "land & space",
       "standard plots and factories held ready: new firms find space in crowded parks"},
      {"land.upstairs", "land & space",
       "industry upstairs: multi-storey factories add floor space in proportion to what is used"},
      {"land.consolidation", "land & space",
       "small scattered plots consolidated: congestion slows firms less"},
      {"cultivation.leader_packages", "firm cultivation",
       "service packages for chain leaders and large tech leaders: faster growth"},
      {"cultivation.title_services", "firm cultivation",
       "market, financing and listing services for unicorns, hidden champions, little giants"},
      {"cultivation.consortia", "firm cultivation",
       "innovation consortia led by large firms: more innovation events in large firms"},
      {"incubation.new_incubators", "incubation",
       "new high-quality incubators founded each January"},
      {"incubation.upgrades", "incubation", "existing incubators upgraded: quality rises"},
      {"incubation.relay", "incubation",
       "relay incubation: graduates find park space even in crowded parks"},
      {"incubation.proof_of_concept", "incubation",
       "proof-of-concept centres and university science parks: more founding teams"},
      {"incubation.advance", "incubation",
       "advance incubation of frontier technology: founding teams start more productive"},
      {"finance.government_fund", "science & tech finance",
       "government innovation fund: more guidance funds, crowding in more private money"},
      {"finance.incubation_investment", "science & tech finance",
       "incubation-investment linkage: incubatees seek venture rounds more often"},
      {"finance.corporate_vc", "science & tech finance",
       "corporate venture funds of tech leaders: more corporate funds"},
      {"finance.investment_loan", "science & tech finance",
       "investment-loan linkage: a bank loan comes with each venture round, so the firm scales "
       "faster"},
      {"talent.training", "talent", "training of scarce talent: more trainees"},
      {"talent.postdoc", "talent", "postdoctoral stations in firms: skilled postdocs arrive"},
      {"talent.international", "talent",
       "international talent communities: more arrivals from abroad, fewer departures"},
      {"ip.protection", "intellectual property",
       "fast examination, grant and enforcement: firms appropriate more of their R&D (more R&D, "
       "less imitation)"},
      {"ip.pledge_loans", "intellectual property",
       "IP pledge loans: R&D-active firms borrow against their IP"},
      {"open.innovation_centres", "open innovation",
       "open-innovation centres of large firms: suppliers catch up faster with chain leaders"},
      {"open.choke_point", "open innovation",
       "open competitions on choke-point technologies: more innovation in IC and AI"},
      {"industry.ic", "industry programmes", "IC design and automotive-grade chips: IC growth"},
      {"industry.biomedicine", "industry programmes",
       "R&D in Zhangjiang + manufacturing in Shanghai: biomedicine grows in the zone and in the "
       "city outside it"},
      {"industry.ai_compute", "industry programmes",
       "AI compute and data infrastructure: AI productivity grows"},
      {"global.network", "global network",
       "cross-border flows: more international talent and private (foreign) funds"},
      {"coordination.cross_park", "coordination",
       "cross-park coordination: talent search and firm relocation reach further across parks"},
  }};
  return levers;
}

}  // namespace clustersim
