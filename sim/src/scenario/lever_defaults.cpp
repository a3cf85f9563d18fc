#include "lever_defaults.hpp"

namespace clustersim {
namespace {

constexpr double bn = 1e9;
constexpr double m = 1e6;

// Time profiles: studies of zones, cluster and industrial programmes find level effects built
// over a programme, not lasting faster growth (docs/levers.md), so the growth-drift levers are
// temporary; flows and standing institutions act as long as the lever does.
constexpr const char* standing =
    "docs/levers.md: a standing flow or institution, acts while the "
    "lever does (no study finds it fading)";

}  // namespace

const std::array<LeverDefaults, lever_count>& lever_defaults() {
  static const std::array<LeverDefaults, lever_count> table = {{
      // evaluation.ranking
      {0, 0, standing, 0.17 * bn, 0.055 * bn, 0.51 * bn,
       "bound: priority parks' extra floor space (~0.55 m m2/yr) x 100-935 CNY/m2 (Shanghai "
       "upstairs subsidy 2023; 2022 industrial land price); ranking itself administrative; L"},
      // focus.leading_industries
      {5, 0,
       "Alder, Shao & Zilibotti (2016 JEG): zones raise GDP levels, not growth paths; Lu, Wang & "
       "Zhu (2019 AEJ:Pol): gains from entry => a level built over 5 years; L",
       0.05 * bn, 0.01 * bn, 0.3 * bn,
       "assumed bound: reallocates existing support budgets to named industries; incremental "
       "cost of investment promotion only; L"},
      // land.supply
      {0, 0, standing, 0.33 * bn, 0.11 * bn, 1.04 * bn,
       "bound: 1.11 m m2/yr of new floor space (0.01 x 111 m m2) x 100-935 CNY/m2 (upstairs "
       "subsidy; Shanghai 2022 industrial land price, city land data); L"},
      // land.standard_factories
      {0, 0, standing, 0.5 * bn, 0.25 * bn, 1.5 * bn,
       "bound: a vacant reserve of ~2.8 m m2 held at an assumed 0.5 CNY/m2/day forgone rent; no "
       "announced standard; L"},
      // land.upstairs
      {3, 0,
       "announced: a three-year programme (>= 30 m m2 of 'smart manufacturing space' in 2023-25, "
       "SHEITC 2023-09-20); M",
       0.5 * bn, 0.3 * bn, 1.0 * bn,
       "announced: 3 bn CNY special fund for the three-year programme (2023 measures) => 1 bn/yr "
       "city-wide x the zone's share 0.5 (0.3-0.7, assumed); M"},
      // land.consolidation
      {0, 0, standing, 0.3 * bn, 0.1 * bn, 1.0 * bn,
       "bound: buy-back of scattered plots at >= the 2022 industrial land price (935 CNY/m2); no "
       "announced Zhangjiang figure; L"},
      // cultivation.leader_packages
      {4, 0,
       "Criscuolo et al. (2019 AER): subsidy effects on employment levels, none for large firms; "
       "a level over a 4-year package; L",
       0.1 * bn, 0.02 * bn, 2.8 * bn,
       "bound: no announced budget for the packages; services plus a share of district awards "
       "to ~100 chain leaders; L"},
      // cultivation.title_services
      {3, 0,
       "MOF & MIIT Cai Jian [2021] No. 2: key little giants are funded for at most 3 years; "
       "Santoleri et al. (2024 REStat): no lasting effect of quality stamps; L",
       0.3 * bn, 0.1 * bn, 0.8 * bn,
       "announced (central part): > 10 bn CNY for 2021-25 over > 1,000 key little giants "
       "(Cai Jian [2021] No. 2) x the zone's firms, plus local listing services (bound); M/L"},
      // cultivation.consortia
      {0, 0, standing, 0.5 * bn, 0.1 * bn, 2.0 * bn,
       "bound from comparable consortium programmes (no Shanghai budget found); L"},
      // incubation.new_incubators
      {3, 0,
       "the policy's target is 20 high-quality incubators by 2025: a three-year programme; new "
       "incubators persist as agents; L",
       10 * m, 2 * m, 50 * m,
       "bound: no per-incubator subsidy standard retrievable (Shanghai 2023 incubator plan); "
       "start-up grants of 1-10 m CNY per incubator x 2/yr; L"},
      // incubation.upgrades
      {3, 0, "the upgrade plan runs to 2025; quality is a level, so yearly gains stop with it; L",
       50 * m, 10 * m, 200 * m,
       "bound: no per-upgrade standard found (Pudong public technology service platforms); L"},
      // incubation.relay
      {0, 0, standing, 0.4 * bn, 0.1 * bn, 0.9 * bn,
       "bound: rent subsidies / vacancy of space reserved for graduates, assumed inputs; L"},
      // incubation.proof_of_concept
      {0, 0, standing, 45 * m, 10 * m, 200 * m,
       "bound: no Shanghai proof-of-concept funding standard before 2025 found; L"},
      // incubation.advance
      {0, 0, standing, 20 * m, 5 * m, 100 * m,
       "bound: part of the proof-of-concept and incubator budgets; no separate standard; L"},
      // finance.government_fund
      {0, 0, standing, 8.5 * bn, 6 * bn, 13 * bn,
       "announced: Shanghai's IC, biomedicine and AI mother funds (2024-07-26: 45.0, 21.5, 22.5 "
       "bn CNY, 8 investment years) x the zone's shares 0.87/0.60/0.70 = 8.5 bn/yr committed "
       "capital, not spending; low: 70 % paid in (Wei, Ang & Jia 2023); M"},
      // finance.incubation_investment
      {0, 0, standing, 0.33 * bn, 0.1 * bn, 1.0 * bn,
       "Pudong plan (2023) of 10 bn CNY of innovation capital for incubation-investment over its "
       "term; fiscal part (expected loss) bounded; L"},
      // finance.corporate_vc
      {0, 0, standing, 30 * m, 3 * m, 300 * m,
       "bound: corporate money; the fiscal part is the pilot tax relief on corporate VC equity "
       "transfers and any city co-investment; L"},
      // finance.investment_loan
      {0, 0, standing, 0.3 * bn, 0.1 * bn, 0.6 * bn,
       "bound: interest subsidy / risk compensation on linked loans (Pudong's 2 % risk subsidy "
       "standard) x an assumed loan volume; L"},
      // talent.training
      {0, 0, standing, 0.05 * bn, 0.01 * bn, 0.3 * bn,
       "bound: municipal IC scarce-talent training (~1,000 trainees/yr, Shanghai University "
       "programme) at 10-100 k CNY each; L"},
      // talent.postdoc
      {0, 0, standing, 0.1 * bn, 0.05 * bn, 0.3 * bn,
       "announced rates + bound: 'super postdoc' >= 600 k CNY per person over two years (2021); "
       "~1,000 postdocs in stations x 50-300 k CNY/yr of public support; L"},
      // talent.international
      {0, 0, standing, 0.05 * bn, 0.02 * bn, 0.2 * bn,
       "bound: 20-100 k CNY of services per additional arrival; no budget of the talent ports "
       "found; L"},
      // ip.protection
      {0, 0, standing, 0.1 * bn, 0.03 * bn, 0.3 * bn,
       "bound: IP protection centre, fast-track examination and enforcement; no Pudong budget "
       "found; L"},
      // ip.pledge_loans
      {0, 0, standing, 0.3 * bn, 0.15 * bn, 0.6 * bn,
       "announced standard: Pudong's 2 % risk subsidy on pledge-loan volume x Shanghai's 12.15 "
       "bn CNY of pledge financing in 2022, doubled by the policy, plus interest subsidies; M/L"},
      // open.innovation_centres
      {0, 0, standing, 0.05 * bn, 0.01 * bn, 0.25 * bn,
       "bound: 10-50 recognised centres x 1-5 m CNY/yr of municipal support; L"},
      // open.choke_point
      {0, 0, standing, 1.7 * bn, 0.5 * bn, 6 * bn,
       "derived bound: challenge ('jie bang gua shuai') project budgets scaled to the zone's IC "
       "and "
       "AI R&D; no announced Shanghai budget; L"},
      // industry.ic
      {5, 0,
       "Criscuolo et al. (2019 AER), Lane (2022): industrial-policy effects are levels built over "
       "a programme; L",
       2 * bn, 1 * bn, 6 * bn,
       "announced: IC mother fund 45.0 bn CNY over 8 years (2024-07-26) x expected loss 0.2-0.5 x "
       "zone share 0.87; may overlap finance.government_fund; L"},
      // industry.biomedicine
      {5, 0, "as industry.ic: a level built over a programme; L", 0.8 * bn, 0.3 * bn, 3 * bn,
       "announced: biomedicine mother fund 21.5 bn CNY over 8 years (2024-07-26) x expected loss "
       "0.2-0.5 x zone share 0.6; may overlap finance.government_fund; L"},
      // industry.ai_compute
      {3, 0,
       "compute vouchers are yearly, budget-limited programmes: a level gain, not lasting "
       "growth; L",
       0.4 * bn, 0.1 * bn, 0.7 * bn,
       "announced: Shanghai compute vouchers 600 m CNY (2025 measures; 2023 vouchers up to 20 % "
       "of rent) x the zone's AI share 0.7; M"},
      // global.network
      {0, 0, standing, 0.2 * bn, 0.05 * bn, 0.5 * bn,
       "assumed bound: cross-border data, talent and capital services; no budget found; L"},
      // coordination.cross_park
      {0, 0, standing, 0.05 * bn, 0.02 * bn, 0.1 * bn,
       "assumed bound: the zone committee and a zone-wide job and space platform (administrative); "
       "L"},
  }};
  return table;
}

}  // namespace clustersim
