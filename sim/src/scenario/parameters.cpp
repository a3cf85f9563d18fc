#include "clustersim/scenario/parameters.hpp"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <iterator>
#include <sstream>

#include "lever_defaults.hpp"

namespace clustersim {
namespace {

// The end of the source of every parameter that the wide calibration (stage one) set: the fit
// that set the default, then its re-run under the current firm sizes (`rerun`: posterior mean
// [90 %], posterior sd / prior sd), whose particles the outlook draws with --posterior.
std::string wide_fit(const std::string& rerun) {
  return "by clustersim calibrate scenarios/calibration/behaviour-2022-wide.toml (SMC-ABC, 1/10 "
         "scale, 10,992 simulations; the 2022 growth and PCT figures, SAIC 2013 start-up hazards "
         "and exits, Gastaud et al. 2019 deal mix; docs/calibration.md), 2026-12-06. Re-run "
         "2026-12-08 after a sample's firms began to carry the full zone's sizes: " +
         rerun +
         ", whose joint particles data/posterior-behaviour-2022-wide.csv holds (the outlook draws "
         "them with --posterior); the default lies inside its 90 % interval";
}

template <class T>
ParamSpec declare(std::string key, T ModelParameters::*member, ParamType type, ParamValue def,
                  double lo, double hi, std::string unit, std::string description,
                  std::string source) {
  ParamSpec spec;
  spec.key = std::move(key);
  spec.type = type;
  spec.default_value = std::move(def);
  spec.min = lo;
  spec.max = hi;
  spec.unit = std::move(unit);
  spec.description = std::move(description);
  spec.source = std::move(source);
  spec.apply = [member](ModelParameters& p, const ParamValue& v) {
    if constexpr (std::is_same_v<T, double>) {
      // Integers are accepted where a real is expected.
      p.*member = std::holds_alternative<std::int64_t>(v)
                      ? static_cast<double>(std::get<std::int64_t>(v))
                      : std::get<double>(v);
    } else {
      p.*member = std::get<T>(v);
    }
  };
  return spec;
}

ParamSpec real(std::string key, double ModelParameters::*member, double def, double lo, double hi,
               std::string unit, std::string description, std::string source) {
  return declare(std::move(key), member, ParamType::real, def, lo, hi, std::move(unit),
                 std::move(description), std::move(source));
}

ParamSpec integer(std::string key, std::int64_t ModelParameters::*member, std::int64_t def,
                  double lo, double hi, std::string unit, std::string description,
                  std::string source) {
  return declare(std::move(key), member, ParamType::integer, def, lo, hi, std::move(unit),
                 std::move(description), std::move(source));
}

ParamSpec boolean(std::string key, bool ModelParameters::*member, bool def,
                  std::string description) {
  return declare(std::move(key), member, ParamType::boolean, def, 0, 1, "", std::move(description),
                 "choice");
}

ParamSpec text(std::string key, std::string ModelParameters::*member, std::string def,
               std::string description) {
  return declare(std::move(key), member, ParamType::text, std::move(def), 0, 0, "",
                 std::move(description), "choice");
}

// A spec with a prior distribution; its plausible range is the prior's 5-95 % interval, clipped
// to the valid range.
ParamSpec with_prior(ParamSpec spec, PriorKind kind, double a, double b) {
  spec.prior = Prior{kind, a, b};
  spec.plausible_low = std::clamp(prior_quantile(spec.prior, 0.05), spec.min, spec.max);
  spec.plausible_high = std::clamp(prior_quantile(spec.prior, 0.95), spec.min, spec.max);
  return spec;
}
ParamSpec lognormal(ParamSpec spec, double median, double sigma) {
  return with_prior(std::move(spec), PriorKind::lognormal, median, sigma);
}
ParamSpec normal(ParamSpec spec, double mean, double sd) {
  return with_prior(std::move(spec), PriorKind::normal, mean, sd);
}
ParamSpec uniform(ParamSpec spec, double low, double high) {
  return with_prior(std::move(spec), PriorKind::uniform, low, high);
}

// A spec with the range its value is believed to lie in (ParamSpec::plausible_low/high).
ParamSpec plausible(ParamSpec spec, double low, double high) {
  spec.plausible_low = low;
  spec.plausible_high = high;
  return spec;
}

ParamSpec real_list(std::string key, std::vector<double> ModelParameters::*member,
                    std::vector<double> def, double lo, double hi, std::size_t min_length,
                    std::string unit, std::string description, std::string source) {
  ParamSpec spec = declare(std::move(key), member, ParamType::real_list, std::move(def), lo, hi,
                           std::move(unit), std::move(description), std::move(source));
  spec.list_min_length = min_length;
  return spec;
}

std::vector<ParamSpec> model_specs() {
  using P = ModelParameters;
  return {
      // --- run
      text("name", &P::name, "unnamed", "Short name of the scenario, stored in outputs."),
      text("description", &P::description, "", "What the scenario represents."),
      real("scale", &P::scale, 1.0, 1e-5, 1.0, "agents per real firm",
           "Sampling fraction of the population: 1 is one agent per firm; 0.01 samples 1 in 100 "
           "and series are divided by it (full-scale equivalents).",
           "choice"),
      integer("horizon_year", &P::horizon_year, 2035, 2022, 2100, "year",
              "Last simulated year (monthly steps run from January 2022 to December of it).",
              "choice; docs/policy.md targets are for 2025"),

      // --- base-year population
      integer("population.firms_total", &P::firms_total, 70000, 1, 10000000, "firms",
              "Firms in the zone in the base year (before scaling).",
              "~70,000 S&T firms, zone, 2016-18 (China Daily 2017-07-12, 2018-04-11); H, "
              "kept for 2022 for lack of a newer count"),
      real("population.base_year_growth", &P::base_year_growth, 0.08, -0.5, 1.0, "1/year",
           "Revenue growth over the base year (continuous rate), used only to set the agents' "
           "January run rate so that the base year's months add up to the parks' annual figures.",
           "ln(1.083): Science City operating revenue +8.3 % in 2022 (pudong.gov.cn 2023-05-05); "
           "H for its scope"),
      // Not published for 2022; each share is bounded by what is (docs/model.md, section 3.2).
      plausible(real("population.zone_ic_share", &P::zone_ic_share, 0.87, 0.0, 1.0, "fraction",
                     "The zone's share of the city's IC industry in the base year.",
                     "derived: the Science City alone held 65.8 % of the city's IC sales in 2022 "
                     "(pudong.gov.cn 2023-05-05; H), Pudong about 80 %, and the zone also holds "
                     "IC parks outside Pudong (Songjiang, Jiading, Minhang); L. Low end: the "
                     "Science City's 201.1 bn CNY plus a little (0.70), high end nearly all"),
                0.70, 0.95),
      plausible(
          real("population.zone_biomedicine_share", &P::zone_biomedicine_share, 0.60, 0.0, 1.0,
               "fraction", "The zone's share of the city's biomedicine industry in the base year.",
               "derived: the zone held 66 % of the city's biomedicine output in 2015 "
               "(China Daily 2016-11-21; H for 2015), less of a 2022 scale that also "
               "counts wholesale and services; L"),
          0.45, 0.75),
      plausible(real("population.zone_ai_share", &P::zone_ai_share, 0.70, 0.0, 1.0, "fraction",
                     "The zone's share of the city's AI industry in the base year.",
                     "derived: Pudong about 43 % in 2022 plus the AI parks of Xuhui, Caohejing, "
                     "Minhang and Yangpu; L"),
                0.50, 0.85),
      real("population.city_ic_cny", &P::city_ic_cny, 3.0e11, 0, 1e14, "CNY/year",
           "Scale of the city's IC industry in the base year.", "> 300 bn CNY, 2022, SHEITC; H"),
      real("population.city_biomedicine_cny", &P::city_biomedicine_cny, 7.85e11, 0, 1e14,
           "CNY/year", "Scale of the city's biomedicine industry in the base year.",
           "derived: 2022 total 1.4 trn (SCIO) less IC, split by the 2021 ratio "
           "761.7 : 305.6 (STCSM, SCIO); L"),
      real("population.city_ai_cny", &P::city_ai_cny, 3.15e11, 0, 1e14, "CNY/year",
           "Scale of the city's AI industry in the base year.", "derived as biomedicine; L"),
      plausible(
          real("population.non_leading_park_weight", &P::non_leading_park_weight, 0.2, 0.0, 1.0,
               "ratio",
               "Prior weight of a leading sector in a park that does not name it, relative to one "
               "that does, before fitting park and sector totals.",
               "assumed: no park publishes the leading industries it does not name; the range "
               "runs from almost none (0.05) to half the weight of a named industry (0.5)"),
          0.05, 0.5),
      real("population.pareto_alpha", &P::pareto_alpha, 1.1, 0.5, 5.0, "1",
           "Tail exponent of the initial firm revenue distribution (CCDF ~ R^-alpha).",
           "1.0-1.5 for Chinese firms (Heinrich & Dai 2016); 1.06 US (Axtell 2001)"),
      plausible(
          real("population.unicorns", &P::initial_unicorns, 36.0, 0.0, 1e5, "firms",
               "Unicorns in the zone at the start (full scale; the sample holds this times the "
               "scale, rounded): the largest firms young enough for the lists get a last round "
               "that values them above the unicorn threshold.",
               "Shanghai 60 at the end of 2021 (GEI, China unicorn report 2022; H) times the "
               "zone's share, taken at 0.6 and not published (Minhang, one district of the "
               "zone, held 10 of 63 at the end of 2022; Pudong the most); range: shares "
               "0.4-0.8; L"),
          24.0, 48.0),
      plausible(
          real("population.potential_unicorns", &P::initial_potential_unicorns, 60.0, 0.0, 1e5,
               "firms",
               "Potential unicorns in the zone at the start (full scale, as above): the next "
               "largest young firms get a last round that values them between "
               "vc.potential_unicorn_valuation_usd and the unicorn threshold (log-uniform).",
               "Shanghai 84 (2020) and 118 (2022) potential unicorns (GEI; H), 100 at the end "
               "of 2021 by geometric interpolation, times the zone's share 0.6 (0.4-0.8; L)"),
          40.0, 80.0),
      real("population.unicorn_valuation_excess", &P::unicorn_valuation_excess, 1.0, 0.0, 100.0,
           "multiple of the threshold",
           "Mean excess of a seeded unicorn's valuation over the unicorn threshold "
           "(valuation = threshold x (1 + exponential with this mean)): median 1.7, mean 2 "
           "times US$1 bn.",
           "assumed: unicorn lists are dominated by valuations of US$1-2 bn with a long tail; L"),
      real("population.mean_age_years", &P::mean_age_years, 8.0, 0.1, 50.0, "years",
           "Mean age of base-year firms (ages are drawn exponentially).", "assumed"),
      plausible(
          real("population.initial_productivity_sd", &P::initial_productivity_sd, 0.5, 0.0, 3.0,
               "log points",
               "Standard deviation of log productivity (revenue per employee relative to "
               "firms.revenue_per_employee_cny) among base-year firms.",
               "assumed, L: the nearest published measure is the dispersion of revenue "
               "productivity (TFPR) within 4-digit manufacturing industries, s.d. 0.74 (1998) "
               "to 0.63 (2005) in China and 0.41-0.49 in the US (Hsieh & Klenow 2009, QJE "
               "124(4):1403-1448, Table IV); revenue per employee also varies with capital per "
               "worker, and young high-tech firms with little revenue widen it. Plausible "
               "0.45-1.0. The outlook draws it and moves firms.revenue_per_employee_cny by "
               "exp((sd^2 - 0.25) / 2), which keeps the base-year head counts"),
          0.45, 1.0),
      real("population.cash_to_revenue", &P::cash_to_revenue, 0.52, 0.0, 10.0, "years of revenue",
           "Cash held by base-year firms as a multiple of annual revenue (plus start-up capital).",
           "calibrated jointly: posterior mean 0.52 [90 %: 0.15, 0.80], posterior sd / prior sd "
           "0.94 (not constrained), " +
               wide_fit("0.48 [0.06, 0.92], 0.92")),

      // --- firm growth
      real("firms.revenue_per_employee_cny", &P::revenue_per_employee_cny, 1.56e6, 1e4, 1e8,
           "CNY/year/employee", "Revenue per employee at productivity 1.",
           "Core Park 2014: 545 bn CNY / 350,000 employees (en.zjsfq.gov.cn); H"),
      real("firms.revenue_per_employee_growth", &P::revenue_per_employee_growth, 0.06, -0.5, 0.5,
           "1/year",
           "Trend growth of revenue per employee (prices, technique, capital per worker): the "
           "revenue one employee of productivity 1 produces grows at this rate from the base "
           "year.",
           "assumed: value added per worker of Guangzhou's above-scale industry grew 6.1 %/year "
           "2016-21 at current prices (Guangzhou statistical yearbook 2022, table 11-10); not "
           "identified by the 2022 figures (scenarios/calibration/behaviour-2022-labour.toml: "
           "posterior sd / prior sd 1.02)"),
      real("firms.growth.drift", &P::growth_drift, -0.025, -1.0, 1.0, "1/year",
           "Base drift of log revenue.",
           "calibrated in two stages: posterior mean -0.025 [90 %: -0.084, 0.042], posterior sd / "
           "prior sd 0.33 (constrained), by clustersim calibrate "
           "scenarios/calibration/behaviour-2022.toml (the Science City's revenue and IC growth, "
           "the city's leading-industry and IC growth in 2022 and the zone's PCT applications) "
           "with the five other behavioural parameters at the joint posterior mean of "
           "scenarios/calibration/behaviour-2022-wide.toml, whose 90 % interval for it is [-0.074, "
           "0.158] (docs/calibration.md), 2026-12-06. Re-run 2026-12-08 after a sample's firms "
           "began to carry the full zone's sizes: -0.040 [-0.085, 0.020], 0.27 (the wide fit: "
           "-0.027 [-0.080, 0.040], 0.32); the default lies inside both"),
      real("firms.growth.productivity_effect", &P::growth_productivity_effect, 0.05, -1.0, 1.0,
           "1/year per log point", "Extra drift per log point of productivity.",
           "assumed (K+S: productive firms gain share)"),
      plausible(
          real("firms.growth.agglomeration_effect", &P::growth_agglomeration_effect, 0.02, -1.0,
               1.0, "1/year",
               "Extra drift per unit of log(1 + same-sector employees in park / reference).",
               "assumed, L: studies measure levels, not a lasting drift (Brenner 2001: labour "
               "pooling and spillovers). Productivity rises 2-5 % with each doubling of a city's "
               "size (OECD 2015, The Metropolitan Century), wages with density about three times "
               "as steeply in Chinese cities as in Western ones (Combes, Demurger & Li 2015, EER "
               "76); Greenstone, Hornbeck & Moretti 2010 (JPE 118(3)): incumbents' "
               "TFP 12 % higher five years after a large plant opens nearby; Glaeser et al. 1992 "
               "(JPE 100(6)) find no own-industry growth effect. A level gap closed over 5-10 "
               "years between parks of 100,000 and 300,000 same-sector employees gives "
               "0.003-0.05. Plausible 0.005-0.04. The outlook draws it"),
          0.005, 0.04),
      real("firms.growth.agglomeration_ref_employees", &P::agglomeration_ref_employees, 1.0e5, 1.0,
           1e9, "employees", "Reference same-sector employment in the agglomeration term.",
           "assumed"),
      plausible(
          real("firms.growth.young_bonus", &P::growth_young_bonus, 0.3, 0.0, 5.0, "1/year",
               "Extra drift of a newborn firm, decaying with age (small young firms grow faster).",
               "assumed, L: growth falls with age at a given size (Evans 1987, JIE 35(4); "
               "Haltiwanger, Jarmin & Miranda 2013, REStat 95(2): no size effect once age is "
               "controlled). US Census BDS (Kauffman Foundation briefing, April 2009): surviving "
               "one-year-old firms add about 15 % of employment a year, firms aged 29+ about 4 %, "
               "so about 0.13 at age 0 with this decay; revenue grows at least as steeply, more "
               "so in high tech (Haltiwanger, Jarmin, Kulick & Miranda 2017, NBER). Upper end: "
               "the bonus times its decay scale is the life-cycle growth it adds, and a US plant "
               "aged 40 employs 7 times one aged 5 or less, an Indian or Mexican twice "
               "(Hsieh & Klenow 2014, QJE 129(3): 0.7-1.95 log points, with selection). "
               "Plausible 0.1-0.5. The outlook draws it"),
          0.1, 0.5),
      plausible(
          real("firms.growth.young_decay_years", &P::growth_young_decay_years, 3.0, 0.1, 50.0,
               "years", "Age scale over which the young-firm bonus decays.",
               "assumed, L: Haltiwanger, Jarmin & Miranda 2013 (REStat 95(2):347-361; US "
               "Census BDS and LBD) find that, conditional on survival, young firms grow faster "
               "than mature ones of the same size and that the gap closes over the first years "
               "('up or out'); no decay scale is published. Plausible 1.5-6 years: at age 10 "
               "they leave 0.1-19 % of the newborn bonus. The outlook draws it"),
          1.5, 6.0),
      plausible(
          real("firms.growth.volatility_ref", &P::volatility_ref, 0.35, 0.0, 5.0, "1/sqrt(year)",
               "Standard deviation of annual log growth at the reference size.",
               "assumed, L: no level at 10 m CNY of revenue (1.5 m USD, 2022) was found in a "
               "text read. Stanley et al. 1996 (Nature 379) and Amaral et al. 1997 (J. Phys. I "
               "7) fit the power law on listed US firms, whose smallest are near this size; "
               "private firms' growth is more volatile than listed ones' (Davis, Haltiwanger, "
               "Jarmin & Miranda 2007, NBER Macro Annual 21), young firms' more than old ones' "
               "(Evans 1987), so listed firms' fit near this size is a middle, not an end. "
               "Plausible 0.25-0.6. The outlook draws it"),
          0.25, 0.6),
      real("firms.growth.volatility_ref_revenue_cny", &P::volatility_ref_revenue_cny, 1.0e7, 1.0,
           1e13, "CNY/year", "Reference revenue for the volatility law.", "assumed"),
      real("firms.growth.volatility_size_exponent", &P::volatility_size_exponent, 0.18, 0.0, 1.0,
           "1", "beta in sigma(R) = sigma_ref (R / R_ref)^-beta.",
           "0.15-0.20 (Stanley et al. 1996; Amaral et al. 1997)"),
      real("firms.growth.volatility_min", &P::volatility_min, 0.05, 0.0, 5.0, "1/sqrt(year)",
           "Lower bound of the volatility law.", "assumed"),
      real("firms.growth.volatility_max", &P::volatility_max, 1.5, 0.0, 10.0, "1/sqrt(year)",
           "Upper bound of the volatility law.", "assumed"),

      // --- productivity
      real("firms.productivity.spillover_rate", &P::productivity_spillover_rate, 0.05, 0.0, 10.0,
           "1/year", "Rate at which log productivity moves toward the park-sector mean.",
           "assumed (knowledge spillovers, SKIN)"),
      real("firms.productivity.volatility", &P::productivity_volatility, 0.05, 0.0, 2.0,
           "1/sqrt(year)", "Standard deviation of annual productivity innovations.", "assumed"),

      // --- finance
      real("firms.finance.margin_base", &P::margin_base, 0.08, -1.0, 1.0, "fraction of revenue",
           "Operating cash margin at productivity 1.", "assumed"),
      real("firms.finance.margin_productivity", &P::margin_productivity, 0.05, -1.0, 1.0,
           "per log point", "Change of margin per log point of productivity.", "assumed"),
      real("firms.finance.startup_margin", &P::startup_margin, -0.065, -10.0, 1.0,
           "fraction of revenue", "Cash margin of a start-up (burn).",
           "calibrated jointly: posterior mean -0.065 [90 %: -0.109, -0.020], posterior sd / prior "
           "sd 0.10 (constrained), " +
               wide_fit("-0.060 [-0.113, -0.015], 0.10")),

      // --- stages
      real("firms.stage.growth_revenue_cny", &P::stage_growth_revenue_cny, 2.0e7, 0.0, 1e13,
           "CNY/year", "Revenue above which a start-up becomes a growth firm.",
           "NBS 2017 size standard: small-firm bound in industry"),
      real("firms.stage.large_revenue_cny", &P::stage_large_revenue_cny, 4.0e8, 0.0, 1e14,
           "CNY/year", "Revenue from which a firm is large.",
           "NBS 2017 size standard: large industrial firm, revenue >= 400 m CNY"),
      real("firms.stage.startup_max_age_years", &P::startup_max_age_years, 5.0, 0.0, 100.0, "years",
           "Age after which a firm is no longer a start-up, whatever its size.", "assumed"),
      real("firms.titles.little_giant_min_revenue_cny", &P::little_giant_min_revenue_cny, 1.0e8,
           0.0, 1e13, "CNY/year",
           "Revenue from which an SME with enough R&D can be a 'specialised, refined, "
           "distinctive, novel' little giant (below the large-firm threshold).",
           "MIIT little-giant criteria (revenue >= 100 m CNY, R&D >= 3 %), simplified"),
      real("firms.titles.little_giant_min_age_years", &P::little_giant_min_age_years, 3.0, 0.0,
           100.0, "years", "Minimum age of a little giant.",
           "MIIT criteria (at least 3 years of operation)"),
      plausible(
          real("firms.titles.little_giant_productivity_quantile",
               &P::little_giant_productivity_quantile, 0.595, 0.0, 1.0, "quantile",
               "Little giants are the most productive (1 - this) of the little-giant "
               "candidates, the firms that meet the size, age and R&D criteria, in each sector "
               "(the list is selective); the total is rounded and split across sectors by "
               "largest remainder.",
               "fitted so that December 2022 holds 353 (median, seeds 1-10, full scale) of the "
               "sourced ~354: Shanghai 262 national little giants after batches 1-3 (SHEITC, "
               "Sep 2021; H) times the national stock's growth with batch 4 (4,669 to 8,997, "
               "Aug 2022; H) times the zone's ~70 % (CALIBRATION.md; M); range for 240-480 "
               "firms; L"),
          0.45, 0.725),
      real("firms.titles.hidden_champion_min_revenue_cny", &P::hidden_champion_min_revenue_cny,
           4.0e8, 0.0, 1e14, "CNY/year", "Lower revenue bound of a hidden champion.",
           "MIIT and CFIE single-champion rules: a firm with annual sales below 400 m CNY may "
           "apply only if it is already a national little giant (MIIT & CFIE notice Chanyehan "
           "[2019] No. 78; the 2021 notice the same); the model takes 400 m as the bound and "
           "leaves out that exception (also NBS 2017's large-firm revenue bound); H for the "
           "figure, simplified"),
      real("firms.titles.hidden_champion_max_revenue_cny", &P::hidden_champion_max_revenue_cny,
           3.5e10, 0.0, 1e14, "CNY/year",
           "Upper revenue bound of a hidden champion (little known: below 5 bn EUR).",
           "Simon's definition (< 5 bn EUR, ~35 bn CNY)"),
      real("firms.titles.hidden_champion_min_age_years", &P::hidden_champion_min_age_years, 10.0,
           0.0, 100.0, "years", "Minimum age of a hidden champion.",
           "MIIT single-champion criteria: 10 years or more in the field, 3 for a new product "
           "(MIIT Chanye [2016] No. 105; MIIT & CFIE notice Zhengfahan [2022] No. 47); "
           "H for the criterion; the model does not know firms' products, so it applies the "
           "10 years to every firm"),
      plausible(
          real("firms.titles.hidden_champion_productivity_quantile",
               &P::hidden_champion_productivity_quantile, 0.967, 0.0, 1.0, "quantile",
               "Hidden champions are the most productive (1 - this) of the champion "
               "candidates, the firms that meet the size and age criteria, in each sector "
               "(world-class in their niche); the total is rounded and split across sectors by "
               "largest remainder.",
               "fitted so that December 2022 holds 23 (median, seeds 1-10, full scale) of the "
               "sourced ~23: Shanghai's 38 national manufacturing single champions (14 firms + "
               "24 products, batches 1-7, Shanghai Securities News 2023-05-23; M-H) times the "
               "zone's share 0.6 (as for unicorns; L); no official hidden-champion list found; "
               "range for 15-30 firms; L"),
          0.956, 0.978),
      real("firms.titles.chain_leader_min_revenue_cny", &P::chain_leader_min_revenue_cny, 2.0e10,
           0.0, 1e15, "CNY/year",
           "Revenue from which the largest leading-industry firm of a park is its chain leader.",
           "assumed"),

      // --- R&D, innovation and patents
      real_list("firms.rd.intensity", &P::rd_intensity, {0.052, 0.070, 0.052, 0.0073}, 0.0, 1.0, 4,
                "fraction of revenue",
                "Intramural R&D spending (as the R&D survey counts it) over revenue: IC, "
                "biomedicine, AI, other.",
                "leading industries: geometric mean of a population bound and a listed-firm "
                "bound; L. IC 0.052 in [0.027, 0.098]: high-tech manufacturing 2.71 % of revenue "
                "(NBS/MOST/MOF 2021 R&D communique; H) to Asia-Pacific semiconductor companies "
                "9.8 % of sales (IC Insights 2021; M). Biomedicine 0.070 in [0.032, 0.154]: "
                "pharmaceutical manufacturing 3.19 % (same communique; H) to pharma and biotech "
                "15.4 % (EU R&D Scoreboard 2019; M). AI: no statistic found, IC's bounds. Other "
                "0.0073 in [0.002, 0.0146] (upper: manufacturing 1.46 %, same communique; H): "
                "derived so that the zone's firms perform 80 % (assumed) of the city's business "
                "R&D in 2022, 0.80 x 0.70 x 198.16 bn CNY (targets.city_business_rd_share), "
                "full scale, seed 1; L"),
      real("firms.rd.innovation_rate", &P::rd_innovation_rate, 4.6, 0.0, 100.0,
           "1/year per unit of R&D intensity",
           "Innovation events (productivity jumps) a year per unit of R&D intensity: a firm's "
           "chance to innovate depends on how much of its revenue it spends, not on its size.",
           "assumed (K+S: innovation probability rises with R&D effort); 2.0 x 0.12 / 0.052, "
           "so IC and AI firms innovate as often as before the intensities were sourced"),
      real("firms.rd.innovation_step", &P::rd_innovation_step, 0.05, 0.001, 2.0, "log points",
           "Mean productivity jump of an innovation (exponential).",
           "assumed (K+S: innovation draws)"),
      real("firms.rd.cost_per_patent_cny", &P::rd_cost_per_patent_cny, 1.7e6, 1.0, 1e13, "CNY",
           "R&D spending per expected patent application.",
           "calibrated in two stages: posterior mean 1.74e6 [90 %: 1.09e6, 2.57e6], posterior sd / "
           "prior sd 0.28 (constrained), to the zone's assumed 70 % of the city's 5,591 PCT "
           "applications in 2022 (CNIPA; H) and the 2022 growth figures by clustersim calibrate "
           "scenarios/calibration/behaviour-2022.toml with the five other behavioural parameters "
           "at the joint posterior mean of scenarios/calibration/behaviour-2022-wide.toml, whose "
           "90 % interval for it is [9.9e5, 5.88e6] (docs/calibration.md), 2026-12-06. Re-run "
           "2026-12-08 after a sample's firms began to carry the full zone's sizes: 1.63e6 "
           "[1.07e6, 2.37e6], 0.26 (the wide fit: 2.94e6 [9.6e5, 5.54e6], 0.84); the default "
           "lies inside both"),
      lognormal(
          real("firms.rd.density_elasticity", &P::rd_density_elasticity, 0.26, 0.0, 2.0, "1",
               "Knowledge spillovers: a firm's patent applications per CNY of R&D scale with its "
               "park's employment density (employees per km2) to this power.",
               "Carlino, Chatterjee & Hunt 2007, J. Urban Econ. 61:389-419: patents per capita "
               "are 20 % higher in a US metropolitan area with twice the employment density, "
               "ln 1.2 / ln 2 = 0.26 (20-30 % in their 2001 working paper); M (another country, "
               "metropolitan areas, not parks); prior lognormal, 5-95 % 0.14-0.48"),
          0.26, 0.37),
      real("firms.rd.reference_density_per_km2", &P::rd_reference_density_per_km2, 12500.0, 1.0,
           1e7, "employees/km2", "Employment density at which the spillover factor is 1.",
           "derived: the parks' employment densities in the base-year population averaged with "
           "R&D weights as a power mean of exponent 0.26 (full scale, seeds 1-3: 12,240, "
           "12,790, 12,390), so that at the default elasticity the zone's R&D files at the "
           "calibrated cost per patent in 2022"),
      real("firms.rd.pct_share", &P::rd_pct_share, 0.05, 0.0, 1.0, "fraction",
           "Share of patent applications filed under the PCT.", "assumed"),
      real("firms.rd.chain_spillover", &P::rd_chain_spillover, 0.1, 0.0, 10.0, "1/year",
           "Rate at which firms of a park and industry with a chain leader catch up with its "
           "productivity (supplier upgrading).",
           "assumed"),
      real("firms.rd.little_giant_min_intensity", &P::rd_little_giant_min_intensity, 0.03, 0.0, 1.0,
           "fraction of revenue", "R&D intensity a little giant needs.",
           "MIIT criteria (R&D >= 3 % of revenue)"),

      // --- relocation
      real("firms.relocation.rate", &P::relocation_rate, 0.05, 0.0, 12.0, "1/year",
           "Annual probability that a firm in a congested park or short of talent moves, at "
           "full pressure (congestion or unfilled share of 1).",
           "assumed"),
      real("firms.relocation.distance_scale_km", &P::relocation_distance_scale_km, 20.0, 0.1,
           1000.0, "km", "Distance over which a destination's attraction falls by e.", "assumed"),

      // --- exit
      real_list("firms.exit.hazard_by_age", &P::exit_hazard_by_age,
                {0.016, 0.063, 0.095, 0.090, 0.085, 0.082, 0.080, 0.060, 0.050}, 0.0, 1.0, 1,
                "1/year",
                "Annual exit hazard in the 1st, 2nd, ... year of age, for firms at or below the "
                "reference revenue.",
                "years 1-3: 1.6 %, 6.3 %, 9.5 %; >= 8 % to year 7 (SAIC 2013); later years "
                "assumed"),
      real("firms.exit.base_hazard", &P::exit_base_hazard, 0.061, 0.0, 1.0, "1/year",
           "Annual exit hazard after the ages listed in hazard_by_age.",
           "calibrated jointly: posterior mean 0.061 [90 %: 0.014, 0.090], posterior sd / prior sd "
           "1.03 (not constrained), " +
               wide_fit("0.046 [0.011, 0.086], 0.85")),
      real("firms.exit.size_exponent", &P::exit_size_exponent, 0.2, 0.0, 5.0, "1",
           "Hazard falls as (R_ref / R)^gamma above the reference revenue.", "assumed"),
      real("firms.exit.ref_revenue_cny", &P::exit_ref_revenue_cny, 2.0e7, 1.0, 1e14, "CNY/year",
           "Revenue up to which the age hazard applies in full.", "assumed"),

      // --- entry
      plausible(
          real("firms.entry.rate", &P::entry_rate, 0.10, 0.0, 10.0, "1/year",
               "New firms per year per incumbent firm of the same park and sector.",
               "assumed, L; not calibrated to the city's 294 new tech firms a day (STCSM 2022): "
               "that indicator counts registrations, of which entries are a share "
               "(firms.entry.tracked_share). The nearest measure is the start-up rate of "
               "employer firms, new firms over all firms, about 8-10 % a year in the US of the "
               "2000s and 12-13 % in the 1980s (Census BDS; Decker, Haltiwanger, Jarmin & "
               "Miranda 2014, JEP 28(3):3-24). Plausible 0.05-0.2. The outlook draws it and "
               "moves the tracked share with it, which keeps 2022's registrations"),
          0.05, 0.2),
      plausible(
          real("firms.entry.tracked_share", &P::entry_tracked_share, 0.198, 1e-6, 1.0, "fraction",
               "Share of the zone's newly registered tech firms that become tracked firms "
               "(entries of any kind): the rest are micro-entities the model does not follow.",
               "derived: the zone's 30.9 entries a day in 2022 (full scale, seed 1) over its "
               "registrations, 294 a day in the city (107,000 new tech firms in 2022, STCSM; H) "
               "times the zone's share, taken at 0.53, the middle of 0.36 (its share of the "
               "city's ~22,000 high-tech enterprises, 2022, from the parks' figures; L) and 0.70 "
               "(its share of the city's little giants, official release; M); L"),
          0.150, 0.292),
      real("firms.entry.seed_per_month", &P::entry_seed_per_month, 0.5, 0.0, 1e5, "firms/month",
           "Entries per month (full scale) into each leading sector a park names, even if "
           "empty.",
           "assumed"),
      real("firms.entry.median_revenue_cny", &P::entry_median_revenue_cny, 2.0e6, 1.0, 1e12,
           "CNY/year", "Median revenue of a new firm.", "assumed"),
      real("firms.entry.revenue_sd", &P::entry_revenue_sd, 1.0, 0.0, 5.0, "log points",
           "Dispersion of new firms' log revenue.", "assumed"),
      real("firms.entry.startup_capital_cny", &P::entry_startup_capital_cny, 5.0e6, 0.0, 1e12,
           "CNY", "Median cash of a new firm.", "assumed"),
      real("firms.entry.capital_sd", &P::entry_capital_sd, 0.5, 0.0, 5.0, "log points",
           "Dispersion of new firms' log cash.", "assumed"),
      real("firms.entry.productivity_sd", &P::entry_productivity_sd, 0.5, 0.0, 3.0, "log points",
           "Dispersion of new firms' log productivity around their park-sector mean.", "assumed"),

      // --- talent and the labour market
      real("talent.skill_sd", &P::talent_skill_sd, 0.5, 0.0, 3.0, "log points",
           "Dispersion of talent's log skill.", "assumed"),
      real("talent.skill_productivity_link", &P::talent_skill_productivity_link, 0.5, 0.0, 3.0,
           "log points per log point",
           "Mean log skill of a base-year firm's talent per log point of the firm's productivity "
           "(sorting of skill into productive firms).",
           "assumed"),
      real("talent.mean_age_years", &P::talent_mean_age_years, 34.0, 22.5, 60.0, "years",
           "Base-year talent are 22 plus an exponential draw of mean (this - 22) years, folded "
           "into the working life (so the realised mean is a little lower).",
           "assumed"),
      real("talent.retirement_age_years", &P::talent_retirement_age_years, 60.0, 40.0, 80.0,
           "years", "Age at which talent retire and leave the pool.",
           "statutory retirement age for men in China, 60 (in 2022)"),
      real("talent.experience_skill_growth", &P::talent_experience_skill_growth, 0.02, 0.0, 1.0,
           "log points/year", "Skill gained per year of employment (learning by doing).",
           "assumed"),
      real("talent.leave_rate", &P::talent_leave_rate, 0.03, 0.0, 1.0, "1/year",
           "Annual probability that employed talent leave Shanghai.", "assumed"),
      plausible(
          real("talent.seeker_leave_rate", &P::talent_seeker_leave_rate, 0.5, 0.0, 1.0, "1/year",
               "Annual probability that talent seeking a job leave Shanghai.",
               "assumed, L: no study found measures how fast people without a job leave "
               "Shanghai; 0.5 a year is two years on average before one who finds no job "
               "leaves. Plausible 0.2-1.0 (one to five years). The outlook draws it: doubling "
               "it triples the policy's talent effect (clustersim screen, docs/outlook.md)"),
          0.2, 1.0),
      real("talent.job_search_rate", &P::talent_job_search_rate, 0.3, 0.0, 1.0, "1/year",
           "Annual probability that employed talent search for a better job in a given month's "
           "market (on-the-job search: poaching).",
           "assumed; with layoffs and exits, gives job turnover near 2 %/month (Axtell 2013)"),
      real("talent.switch_premium", &P::talent_switch_premium, 0.1, 0.0, 5.0, "fraction",
           "Wage rise that makes employed talent accept an offer.", "assumed"),
      real("talent.other_park_search_share", &P::talent_other_park_search_share, 0.3, 0.0, 1.0,
           "fraction",
           "Share of 25-year-old searchers who search in another park; it falls with age.",
           "assumed (Vaccario et al. 2021: mobility falls with age and distance)"),
      real("talent.other_park_age_scale_years", &P::talent_other_park_age_scale_years, 15.0, 0.1,
           100.0, "years",
           "Age scale over which the share searching in another park falls (e-fold).", "assumed"),
      real_list("talent.arrival_age_years", &P::talent_arrival_age_years,
                {30.0, 24.0, 35.0, 32.0, 30.0}, 16.0, 70.0, 5, "years",
                "Age at arrival: founding teams of new firms, graduates, trainees, international "
                "arrivals, postdocs.",
                "assumed: typical ages of master's graduates (24), postdocs and founders (30), "
                "mid-career trainees and recruits from abroad (32-35); +-5 years plausible"),
      real("talent.other_park_age_onset_years", &P::talent_other_park_age_onset_years, 25.0, 16.0,
           70.0, "years",
           "Age up to which the share searching in another park stays at "
           "talent.other_park_search_share; it falls beyond.",
           "assumed: the age of a new master's graduate (Vaccario et al. 2021: mobility falls "
           "with age); 22-30 plausible"),
      real("talent.distance_scale_km", &P::talent_distance_scale_km, 15.0, 0.1, 1000.0, "km",
           "Distance over which the attraction of another park falls by a factor e.",
           "assumed (Vaccario et al. 2021)"),
      plausible(
          real("talent.spinoff_rate", &P::talent_spinoff_rate, 0.005, 0.0, 1.0, "1/year",
               "Annual probability that employed talent of log skill 0 leave to found a "
               "start-up (scaled by e^skill).",
               "assumed, L: spin-offs make clusters (Zhang 2003; Brenner 2001); scientists and "
               "engineers leave to found firms more often from small employers than from large, "
               "old ones (Elfenbein, Hamilton & Zenger 2010, Management Science 56(4); Sorensen "
               "2007, ASQ 52(3)); upper ends: any new business by any US adult, 0.28-0.33 % a "
               "month (Kauffman Index 2015-16), and 4.7 % of Chinese adults nascent "
               "entrepreneurs (GEM 2018/19). No measured rate for Chinese engineers was found. "
               "Plausible 0.002-0.015. The outlook draws it and moves the entries' tracked "
               "share with it (it makes a third of 2022's registrations at its default), which "
               "keeps 2022's registrations"),
          0.002, 0.015),
      real("talent.base_wage_cny", &P::talent_base_wage_cny, 3.0e5, 0.0, 1e8, "CNY/year",
           "Wage offered by a firm of productivity 1 to talent of log skill 0.", "assumed"),
      real("talent.wage_productivity_elasticity", &P::talent_wage_productivity_elasticity, 0.5, 0.0,
           3.0, "1", "Elasticity of a firm's wage offer to its productivity.", "assumed"),
      real("talent.wage_skill_premium", &P::talent_wage_skill_premium, 0.3, 0.0, 3.0,
           "per log point", "Wage premium per log point of skill.", "assumed"),
      real_list("talent.graduates_per_year", &P::talent_graduates_per_year,
                {15000.0, 12000.0, 12000.0}, 0.0, 1e7, 3, "persons/year",
                "Graduates entering the zone's IC, biomedicine and AI each year (in that order), "
                "arriving in the graduation month.",
                "assumed"),
      integer("talent.graduation_month", &P::talent_graduation_month, 7, 1, 12, "month",
              "Month in which graduates arrive.", "Chinese academic calendar"),
      real("talent.training_per_year", &P::talent_training_per_year, 10000.0, 0.0, 1e7,
           "persons/year",
           "Workers who join the talent pool through training programmes each year.",
           "assumed; not identified by the 2022 figures "
           "(scenarios/calibration/behaviour-2022-labour.toml: posterior sd / prior sd 0.87)"),
      real("talent.international_per_year", &P::talent_international_per_year, 5000.0, 0.0, 1e7,
           "persons/year", "Talent arriving from outside China each year.", "assumed"),
      real("labour.capacity_slack", &P::labour_capacity_slack, 0.15, 0.0, 10.0, "fraction",
           "How far a leading-sector firm's revenue may run above what its talent produce "
           "(overtime, outsourcing) before unfilled vacancies hold growth back.",
           "assumed; binds the leading industries' first-year growth, but not identified by the "
           "2022 figures (scenarios/calibration/behaviour-2022-labour.toml: posterior sd / prior "
           "sd 0.77)"),
      real("labour.layoff_rate", &P::labour_layoff_rate, 0.5, 0.0, 1.0, "1/month",
           "Share of a firm's excess talent released each month.", "assumed"),

      // --- incubators
      integer("incubators.count", &P::incubators_count, 150, 0, 100000, "incubators",
              "Incubators in the zone in the base year (sampled with the scale, at least one).",
              "assumed: Shanghai has several hundred incubators and maker spaces; the zone's "
              "share is not published"),
      real("incubators.mean_capacity", &P::incubators_mean_capacity, 30.0, 1.0, 10000.0, "firms",
           "Mean number of firms an incubator can hold (Poisson around it, at least 1).",
           "assumed"),
      real("incubators.quality_sd", &P::incubators_quality_sd, 0.5, 0.0, 3.0, "log points",
           "Dispersion of incubators' log quality.", "assumed"),
      integer("incubators.initial_high_quality", &P::incubators_initial_high_quality, 0, 0, 100000,
              "incubators",
              "Incubators holding the high-quality status in the base year (the best by "
              "quality; full scale).",
              "the status is the city's: its high-quality incubator programme began in November "
              "2023 (programme documents; H), so none held it in 2022"),
      integer("incubators.status_from_year", &P::incubators_status_from_year, 2023, 2022, 2100,
              "year",
              "First year whose December evaluation can award the high-quality status "
              "(evaluations before it count towards the consecutive years).",
              "the programme's start, 2023 (policy input)"),
      real("incubators.admission_share", &P::incubators_admission_share, 0.5, 0.0, 1.0, "fraction",
           "Share of new leading-sector firms that apply to an incubator of their park and "
           "industry.",
           "assumed"),
      real("incubators.university_teams_per_year", &P::incubators_university_teams_per_year, 2.0,
           0.0, 1000.0, "firms/year per incubator",
           "Founding teams from universities and proof-of-concept centres that each incubator "
           "admits a year, if it has room.",
           "assumed"),
      real("incubators.hazard_factor", &P::incubators_hazard_factor, 0.5, 0.0, 1.0, "ratio",
           "Exit hazard of an incubated firm relative to others, at incubator quality 0 "
           "(times e^-quality).",
           "assumed (incubation raises survival)"),
      integer("incubators.incubation_months", &P::incubators_incubation_months, 24, 1, 240,
              "months", "Months after which an incubatee graduates, if its park has space.",
              "assumed"),
      integer("incubators.max_incubation_months", &P::incubators_max_incubation_months, 48, 1, 480,
              "months", "Months after which an incubatee must leave, space or not.", "assumed"),
      real("incubators.high_quality_score", &P::incubators_high_quality_score, 0.25, -10.0, 10.0,
           "graduates per place per year",
           "Score (graduations less failures in the year, per place) an incubator must reach "
           "at the annual evaluation.",
           "assumed"),
      integer("incubators.status_years", &P::incubators_status_years, 2, 1, 20, "years",
              "Consecutive evaluations meeting (failing) the score needed to gain (lose) the "
              "high-quality status.",
              "assumed"),

      // --- venture capital
      real_list("vc.initial_funds", &P::vc_initial_funds, {20.0, 150.0, 30.0}, 0.0, 1e6, 3, "funds",
                "Funds investing in the zone in the base year: government guidance, private VC, "
                "corporate VC (full scale; vintages spread over the previous investment period).",
                "assumed"),
      real_list("vc.new_funds_per_year", &P::vc_new_funds_per_year, {4.0, 25.0, 5.0}, 0.0, 1e6, 3,
                "funds/year",
                "New funds raised each January: government guidance, private, corporate.",
                "assumed"),
      real_list("vc.fund_size_cny", &P::vc_fund_size_cny, {2.0e9, 5.0e8, 3.0e8}, 1e6, 1e13, 3,
                "CNY", "Median size of a new fund, by kind (lognormal).", "assumed"),
      real("vc.fund_size_sd", &P::vc_fund_size_sd, 0.7, 0.0, 3.0, "log points",
           "Dispersion of fund sizes.", "assumed"),
      integer("vc.investment_years", &P::vc_investment_years, 5, 1, 30, "years",
              "Years after its vintage in which a fund makes new deals.",
              "industry convention (5-year investment period)"),
      integer("vc.lifetime_years", &P::vc_lifetime_years, 10, 1, 50, "years",
              "Fund lifetime; afterwards it makes no deals (its stakes still pay out at exits).",
              "industry convention (10-year funds)"),
      real("vc.deals_per_billion", &P::vc_deals_per_billion, 8.0, 0.1, 1000.0,
           "deals/year per bn CNY", "Deal capacity of a fund per billion CNY of size (at least 2).",
           "assumed"),
      integer("vc.min_deals_per_year", &P::vc_min_deals_per_year, 2, 1, 1000, "deals/year",
              "Fewest new deals a fund makes in a year, however small it is.",
              "assumed: a convention of the model (a fund invests at least twice a year)"),
      real("vc.private_seed_share", &P::vc_private_seed_share, 0.5, 0.0, 1.0, "fraction",
           "Share of private funds that start at seed rounds (the others at series A).",
           "assumed: half; 0.2-0.8 plausible"),
      real("vc.reserve_share", &P::vc_reserve_share, 0.3, 0.0, 0.9, "fraction",
           "Share of a fund kept for follow-on investments in its portfolio.",
           "industry convention (30-50 %)"),
      real("vc.max_ticket_share", &P::vc_max_ticket_share, 0.1, 0.001, 1.0, "fraction",
           "Largest share of its size a fund puts in one deal (larger rounds are syndicated).",
           "industry convention"),
      real("vc.min_ticket_share", &P::vc_min_ticket_share, 0.05, 0.0, 1.0, "fraction",
           "Smallest ticket a new investor takes, as a share of the round it joins (a fund that "
           "could put in less passes).",
           "assumed: a convention of the model, 0-20 % plausible; sets how many small "
           "co-investors a round can have"),
      integer("vc.max_new_investors", &P::vc_max_new_investors, 3, 1, 20, "funds",
              "New investors in one round: a lead and up to this many minus one co-investors "
              "(insiders following on come on top).",
              "assumed: a convention of the model; Chinese venture rounds are typically led by "
              "one fund with a few co-investors (1-5 plausible)"),
      integer("vc.seek_max_age_months", &P::vc_seek_max_age_months, 120, 0, 600, "months",
              "Oldest age at which a private firm still seeks venture rounds.",
              "assumed: 10 years, the usual bound of a start-up or young firm in venture "
              "statistics; 5-15 years plausible"),
      integer("vc.months_between_rounds", &P::vc_months_between_rounds, 13, 1, 120, "months",
              "Months after a round before the firm seeks the next.",
              "calibrated jointly: posterior mean 12.8 [90 %: 6.5, 23.2], posterior sd / prior sd "
              "0.63 (not constrained), " +
                  wide_fit("14.6 [6.1, 23.7], 0.64")),
      real("vc.signal_revenue_weight", &P::vc_signal_revenue_weight, 0.5, 0.0, 10.0,
           "signal units per log point",
           "Weight of the firm's log revenue (relative to entry.median_revenue_cny) in the signal "
           "funds see.",
           "assumed"),
      real("vc.round_size_signal_elasticity", &P::vc_round_size_signal_elasticity, 0.5, 0.0, 5.0,
           "log points per signal unit",
           "Round size grows as e^(elasticity x signal) times the typical size of its round.",
           "assumed"),
      real("vc.round_size_factor_min", &P::vc_round_size_factor_min, 0.3, 0.0, 1.0, "ratio",
           "Smallest round, as a multiple of the typical size of its round.", "assumed"),
      real("vc.round_size_factor_max", &P::vc_round_size_factor_max, 3.0, 1.0, 100.0, "ratio",
           "Largest round, as a multiple of the typical size of its round.", "assumed"),
      real("vc.seek_rate", &P::vc_seek_rate, 2.0, 0.0, 12.0, "1/year",
           "Rate at which an eligible leading-sector firm (private, at most "
           "vc.seek_max_age_months old, vc.months_between_rounds after its last round) seeks a "
           "round.",
           "calibrated jointly: posterior mean 2.04 [90 %: 1.20, 2.56], posterior sd / prior sd "
           "0.53 (not constrained), " +
               wide_fit("1.94 [1.07, 2.91], 0.74")),
      real("vc.non_leading_seek_factor", &P::vc_non_leading_seek_factor, 0.3, 0.0, 1.0, "ratio",
           "Seek rate of other-sector firms relative to leading-sector ones.", "assumed"),
      real_list("vc.round_size_cny", &P::vc_round_size_cny, {3e6, 2e7, 6e7, 1.5e8, 4e8}, 1e4, 1e12,
                5, "CNY",
                "Typical round size: seed, A, B, C, later (scaled by the signal: "
                "vc.round_size_signal_elasticity, vc.round_size_factor_min and _max).",
                "assumed (orders of magnitude of Chinese VC rounds)"),
      real_list(
          "vc.dilution", &P::vc_dilution, {0.2, 0.2, 0.15, 0.12, 0.1}, 0.01, 0.9, 5, "fraction",
          "Share of the firm sold in a round (post-money = round / dilution): seed ... later.",
          "industry convention"),
      real("vc.signal_noise", &P::vc_signal_noise, 0.5, 0.0, 5.0, "log points",
           "Noise in what funds observe of a firm's quality.", "assumed"),
      real("vc.momentum_weight", &P::vc_momentum_weight, 2.0, 0.0, 100.0,
           "signal units per log point",
           "Weight of sector momentum (the cell's revenue growth over the last year) in the "
           "signal funds see.",
           "assumed"),
      real_list("vc.screening", &P::vc_screening, {-0.5, 0.0, 0.0}, -10.0, 10.0, 3, "signal units",
                "Lowest signal a fund invests on: government guidance, private, corporate "
                "(guidance funds invest earlier and take more risk).",
                "assumed (docs/policy.md: early, small, hard-tech, long-term)"),
      real_list("vc.hard_tech", &P::vc_hard_tech, {1.0, 0.5, 0.8}, 0.0, 1.0, 3, "probability",
                "Hard-tech tilt by kind: the probability of declining a firm outside IC, "
                "biomedicine and AI.",
                "assumed"),
      // Venture investment is local (Sorenson & Stuart 2001): a fund takes part in a round less
      // often the farther the firm is from its home park, and a park's deal flow follows the
      // funds within its reach. Not identified by the 2022 figures; the outlook draws it.
      plausible(
          real("vc.proximity_elasticity", &P::vc_proximity_elasticity, 0.301, 0.0, 5.0,
               "elasticity",
               "Fall of a fund's chance to take part in a round with the distance d from its home "
               "park to the firm's, beyond vc.proximity_reference_km: (d / d_ref)^-elasticity. "
               "It also sets each park's deal flow (its reach: the investing funds weighted so).",
               "derived, C: Sorenson & Stuart 2001 (AJS 106(6); US deals 1986-1998, summarised "
               "by Stuart, Capital Ideas 2001): VCs invest in companies 10 miles away twice as "
               "often as in those 100 miles away, so log 2 / log 10 = 0.301. Plausible 0.15-1.0: "
               "half that to over three times it, as local bias in Chinese venture capital is "
               "documented as strong and rising (Fu & Ng 2020, J. Asia Bus. Stud.) but with no "
               "distance elasticity published for it"),
          0.15, 1.0),
      real("vc.proximity_reference_km", &P::vc_proximity_reference_km, 16.1, 0.1, 1000.0, "km",
           "Distance within which a fund does not discount a firm for distance.",
           "Sorenson & Stuart 2001: the nearer distance of the comparison above (10 miles)"),
      real("vc.government_leverage", &P::vc_government_leverage, 2.0, 0.0, 20.0, "ratio",
           "Private money a guidance fund's CNY crowds into the same round (outside the fund "
           "agents).",
           "assumed; guidance funds typically target 1:2-1:4"),
      plausible(
          real("vc.growth_boost", &P::vc_growth_boost, 0.2, 0.0, 5.0, "1/year",
               "Extra revenue drift of a firm in the months after a round (hiring and scaling).",
               "assumed, L: US SMEs in the five years after venture funding grew revenue 36.4 % "
               "a year against 6.9 % (Paglia & Harjoto 2014, J. Banking & Finance 47, as "
               "summarised from their 2013 report; 0.24 log points a year, selection included: "
               "an upper end); Canadian firms matched on "
               "R&D, size, age and industry grew employment 51 % against 4 % in five years "
               "(Kelly & Kim 2013, Industry Canada WP 2013-01, as reported of the companion "
               "CVCA study; 0.075 a year); Chinese "
               "manufacturers show no extra sales growth after the investment, the funds pick "
               "fast growers (Guo & Jiang 2013, J. Corporate Finance 22), and government-run "
               "funds add little (Grilli & Murtinu 2014, Research Policy 43(9)). Plausible "
               "0.05-0.25. The outlook draws it"),
          0.05, 0.25),
      plausible(
          integer("vc.boost_months", &P::vc_boost_months, 24, 0, 240, "months",
                  "Months after a round during which the growth boost lasts.",
                  "assumed, L: most of the effect comes right after the first round (Bertoni, "
                  "Colombo & Grilli 2011, Research Policy 40(7)); the productivity gap widens "
                  "for four years after it (Chemmanur, Krishnan & Nandy 2011, RFS 24(12)); "
                  "the growth gaps above are measured over five years, across several rounds, "
                  "and the boost restarts at each round. Plausible 12-36. The outlook draws "
                  "it, rounded to whole months"),
          12, 36),
      plausible(
          real("vc.runway_months", &P::vc_runway_months, 18.0, 1.0, 600.0, "months",
               "Months a round is sized to last: a funded private firm (start-up or growth "
               "stage) spends its last round at this pace where that burns faster than its "
               "margin, so one that neither raises again nor grows large runs out of cash.",
               "assumed from practitioner guidance, C: Radicle 2019 ('How much runway should you "
               "target between financing rounds?', Journal of Empirical Entrepreneurship): the "
               "convention is 12-18 months, Fred Wilson advises 18; CB Insights' median gaps "
               "between rounds are 12 (seed to A) and 15 months (A to B); US practice, 12-24 "
               "plausible. Not identified by the venture-return facts: clustersim calibrate "
               "scenarios/calibration/behaviour-2022-runway.toml gives a posterior mean of 19.5 "
               "[90 %: 10.1, 33.0], posterior sd / prior sd 0.94 (docs/calibration.md)"),
          12.0, 24.0),
      real("vc.ipo_valuation_cny", &P::vc_ipo_valuation_cny, 3.0e9, 1e6, 1e14, "CNY",
           "Valuation from which a venture-backed firm can list.", "assumed (STAR Market scale)"),
      real("vc.ipo_min_age_years", &P::vc_ipo_min_age_years, 3.0, 0.0, 50.0, "years",
           "Minimum age to list.", "assumed"),
      real("vc.ipo_rate", &P::vc_ipo_rate, 0.3, 0.0, 12.0, "1/year",
           "Rate at which an eligible firm lists.", "assumed"),
      integer("vc.acquisition_min_age_months", &P::vc_acquisition_min_age_months, 48, 0, 600,
              "months", "Youngest age at which a venture-backed firm can be acquired.",
              "assumed: a convention of the model (4 years); 2-8 years plausible"),
      real("vc.acquisition_rate", &P::vc_acquisition_rate, 0.03, 0.0, 12.0, "1/year",
           "Rate at which a venture-backed private firm of 4 years or more is acquired.",
           "assumed"),
      // Proceeds feed no rule (no fund raises on its returns), so these two move no target
      // and the outlook does not draw them; their uncertainty is the fit's (calibration.md).
      real("vc.acquisition_price_log_mean", &P::vc_acquisition_price_log_mean, -1.81, -10.0, 10.0,
           "log points",
           "Mean log ratio of an acquisition's price to the firm's mark (post-money scaled by "
           "revenue growth since the round): a trade buyer pays for the business, not for the "
           "growth the last round priced.",
           "fitted, C: clustersim calibrate scenarios/calibration/behaviour-2022-acquisitions.toml "
           "(posterior mean; 90 %: -2.80 to -0.76, posterior sd / prior sd 0.59) to the share of "
           "US venture-backed acquisitions priced below the money raised (Sand Hill "
           "Econometrics 2014: 65 %; Woodward 2021, CCIA: 42 %) and at ten times it or more "
           "(NVCA Q1 2010: 14 %)"),
      real("vc.acquisition_price_log_sd", &P::vc_acquisition_price_log_sd, 1.26, 0.0, 10.0,
           "log points",
           "Standard deviation of the log ratio of an acquisition's price to the firm's mark.",
           "fitted, D: the same fit (posterior mean; 90 %: 0.56 to 1.94, posterior sd / prior "
           "sd 0.75: hardly identified)"),
      real("vc.cny_per_usd", &P::vc_cny_per_usd, 6.73, 0.1, 100.0, "CNY/USD",
           "Exchange rate for the unicorn threshold.", "2022 average (PBoC central parity ~6.73)"),
      real("vc.unicorn_valuation_usd", &P::vc_unicorn_valuation_usd, 1.0e9, 1e6, 1e13, "USD",
           "Valuation from which a private firm is a unicorn.", "Hurun / CB Insights definition"),
      real("vc.unicorn_max_age_years", &P::vc_unicorn_max_age_years, 10.0, 0.0, 100.0, "years",
           "Oldest age of a unicorn or potential unicorn (older firms leave the lists).",
           "GEI unicorn definition: founded within 10 years (H)"),
      real("vc.potential_unicorn_valuation_usd", &P::vc_potential_unicorn_valuation_usd, 1.0e8, 1e4,
           1e13, "USD", "Valuation from which a young private firm is a potential unicorn.",
           "GEI potential-unicorn definition (US$100 m for firms up to 5 years; M)"),

      // --- parks
      real("parks.initial_occupancy", &P::initial_occupancy, 0.85, 0.01, 1.0, "fraction",
           "Share of each park's floor space in use in the base year.", "assumed"),
      real("parks.floor_space_per_employee_m2", &P::floor_space_per_employee_m2, 30.0, 1.0, 1000.0,
           "m2/employee", "Floor space a job needs.", "assumed"),
      real("parks.floor_space_growth", &P::floor_space_growth, 0.02, -0.5, 1.0, "1/year",
           "Growth of each park's floor space (land supply, industry going upstairs).", "assumed"),
      real("parks.congestion_onset", &P::congestion_onset, 0.9, 0.0, 0.999, "fraction",
           "Occupancy from which a park is congested: entry is throttled (to none at full "
           "occupancy) and firms' drift falls.",
           "assumed"),
      real("parks.congestion_penalty", &P::congestion_penalty, 0.5, 0.0, 10.0, "1/year",
           "Drift lost by every firm of a park per unit of congestion (1 at full occupancy): "
           "rents and waiting for space.",
           "assumed"),

      // --- output
      boolean("output.firm_snapshots", &P::firm_snapshots, true,
              "Write the firm table at the end of every snapshot interval."),
      integer("output.snapshot_interval_years", &P::snapshot_interval_years, 1, 1, 100, "years",
              "Years between firm snapshots.", "choice"),
      boolean("output.talent_snapshots", &P::talent_snapshots, true,
              "Write the talent table at the end of every talent snapshot interval."),
      integer("output.talent_snapshot_interval_years", &P::talent_snapshot_interval_years, 5, 1,
              100, "years",
              "Years between talent snapshots (a full-scale table is ~800,000 rows, so the "
              "default keeps files small).",
              "choice"),
      boolean("output.talent_snapshot_float32", &P::talent_snapshot_float32, true,
              "Talent snapshots store skill and wage_cny as 32-bit floats (7 significant "
              "digits), which halves the largest table of a results file (a full-scale "
              "file stays within 100 MB); checkpoints keep full precision."),
  };
}

// The log-sd of a cost's lognormal prior centred on its point estimate: wide enough that the
// 5-95 % interval holds the whole sourced range, on the side where the range reaches further.
double cost_sigma(double point, double low, double high) {
  return std::max(std::log(high / point), std::log(point / low)) / 1.6448536269514722;
}

// The three keys of a lever's schedule: policy.<lever>.intensity, .start_year and .end_year.
void lever_schedule_specs(std::vector<ParamSpec>& specs) {
  for (std::size_t l = 0; l < lever_count; ++l) {
    const LeverInfo& info = lever_catalogue()[l];
    const std::string key = "policy." + std::string(info.key);
    ParamSpec intensity;
    intensity.key = key + ".intensity";
    intensity.type = ParamType::real;
    intensity.default_value = 0.0;
    intensity.min = 0.0;
    intensity.max = 10.0;
    intensity.unit = "1 = as announced";
    intensity.description =
        std::string(info.summary) + " (" + std::string(info.group) + "). 0 switches the lever off.";
    intensity.source = "docs/policy.md; 0 by default (no new policy)";
    intensity.lever_schedule = true;
    intensity.apply = [l](ModelParameters& p, const ParamValue& v) {
      p.levers[l].intensity = std::holds_alternative<std::int64_t>(v)
                                  ? static_cast<double>(std::get<std::int64_t>(v))
                                  : std::get<double>(v);
    };
    specs.push_back(std::move(intensity));
    for (const bool start : {true, false}) {
      ParamSpec year;
      year.key = key + (start ? ".start_year" : ".end_year");
      year.type = ParamType::integer;
      year.default_value = std::int64_t{start ? 2023 : 2100};
      year.min = 2022;
      year.max = 2100;
      year.unit = "year";
      year.description = start ? "First year the lever acts (from January)."
                               : "Last year the lever acts (to December).";
      year.source = start ? "the 2023 Opinions and Action Plan" : "choice: open-ended";
      year.lever_schedule = true;
      year.apply = [l, start](ModelParameters& p, const ParamValue& v) {
        (start ? p.levers[l].start_year : p.levers[l].end_year) = std::get<std::int64_t>(v);
      };
      specs.push_back(std::move(year));
    }
    // Its time profile and its cost, from the evidence (scenario/lever_defaults.cpp).
    const LeverDefaults& d = lever_defaults()[l];
    auto number = [&](const char* leaf, double value, double hi, const char* unit,
                      std::string description, std::string source, double LeverSchedule::*member) {
      ParamSpec spec;
      spec.key = key + "." + leaf;
      spec.type = ParamType::real;
      spec.default_value = value;
      spec.min = 0.0;
      spec.max = hi;
      spec.unit = unit;
      spec.description = std::move(description);
      spec.source = std::move(source);
      spec.lever_schedule = true;
      spec.apply = [l, member](ModelParameters& p, const ParamValue& v) {
        p.levers[l].*member = std::holds_alternative<std::int64_t>(v)
                                  ? static_cast<double>(std::get<std::int64_t>(v))
                                  : std::get<double>(v);
      };
      return spec;
    };
    specs.push_back(number("effect_years", d.effect_years, 100.0, "years",
                           "Years the lever's effect lasts from its start_year (0: as long as it "
                           "acts): a temporary effect.",
                           d.profile_source, &LeverSchedule::effect_years));
    specs.push_back(number("half_life_years", d.half_life_years, 100.0, "years",
                           "Years over which the lever's effect halves (0: it does not fade): a "
                           "decaying effect.",
                           d.profile_source, &LeverSchedule::half_life_years));
    ParamSpec cost = number("cost_cny_per_year", d.cost_cny_per_year, 1e13, "CNY/year",
                            "Fiscal cost per year at intensity 1 (full scale), paid every year "
                            "the programme runs (within effect_years if temporary); series "
                            "policy_cost_cny.",
                            d.cost_source, &LeverSchedule::cost_cny_per_year);
    specs.push_back(d.cost_low < d.cost_high
                        ? lognormal(std::move(cost), d.cost_cny_per_year,
                                    cost_sigma(d.cost_cny_per_year, d.cost_low, d.cost_high))
                        : std::move(cost));
  }
}

std::vector<ParamSpec> city_and_policy_specs() {
  using P = ModelParameters;
  std::vector<ParamSpec> specs = {
      // --- the city outside the zone
      plausible(
          real_list(
              "city.outside_growth", &P::city_outside_growth, {0.29, 0.12, 0.14}, -0.5, 1.0, 3,
              "1/year",
              "Trend growth of the city's leading industries outside the zone (IC, biomedicine, "
              "AI; continuous rates): the outside region's own growth.",
              "derived from 2022, the zone at its share (population.zone_*_share), continuous "
              "rates: (city growth - share x zone growth) / (1 - share). IC: city 250 -> 300 bn "
              "(0.182, SHEITC), the zone at the Science City's IC +18.1 % (0.166, pudong.gov.cn "
              "2023-05-05), share 0.87: 0.29. Biomedicine and AI (no 2022 figure by industry): "
              "the three industries 1.27 -> 1.4 trn (0.097, government work reports), the zone at "
              "the Science City's +8.3 % (0.080): 0.12 at a share of 0.60, 0.14 at 0.70. One "
              "year's growth, a lockdown year, and very sensitive to the share where 1 - share is "
              "small: wide range; L"),
          0.03, 0.40),
      real("city.relocation_out_share", &P::city_relocation_out_share, 0.2, 0.0, 1.0, "fraction",
           "Share of relocating leading-industry firms that leave the zone for the rest of the "
           "city (the competition for firms); venture-backed firms stay.",
           "assumed"),
      real("city.vc_per_revenue", &P::city_vc_per_revenue, 0.05, 0.0, 10.0, "1/year",
           "Venture capital invested per year in the city's leading industries outside the zone, "
           "per CNY of their revenue (the competition for capital).",
           "assumed: gives the zone 43-65 % of the city's VC after 2022 in the counterfactual; L"),
  };
  lever_schedule_specs(specs);
  std::vector<ParamSpec> effects = {
      // --- lever effects (at intensity 1)
      integer("policy.evaluation.top_parks", &P::evaluation_top_parks, 5, 0, 22, "parks",
              "Parks at the top of the ranking that get priority (land and capital).",
              "rule setting: 'resources flow to parks with clear advantages' names no number; "
              "MOFCOM's zone evaluation rewards its top ranks with upgrading priority (press "
              "2020-21); about the top quarter of 22 (docs/levers.md)"),
      integer("policy.evaluation.bottom_parks", &P::evaluation_bottom_parks, 1, 0, 22, "parks",
              "Parks at the bottom of the ranking that get a strike if their score is below the "
              "failing score.",
              "MOFCOM's yearly evaluation of ~220 national zones summons the ~10 lowest (4.5 %, "
              "press 2020-21) => 1 of 22 parks (docs/levers.md)"),
      normal(
          real(
              "policy.evaluation.fail_score", &P::evaluation_fail_score, -1.0, -10.0, 10.0,
              "standard deviations",
              "A bottom park fails only with a composite score (a weighted mean of z-scores) below "
              "this.",
              "MOFCOM removed 2 of ~220 national zones in 35 years, ~0.5 %/yr in 2019-21 (press): "
              "failing must be rare, so a bottom park fails only well below the mean; L "
              "(docs/levers.md)"),
          -1.0, 0.3),
      real_list("policy.evaluation.score_weights", &P::evaluation_score_weights,
                {0.3, 0.3, 0.2, 0.2}, 0.0, 1.0, 4, "weights",
                "Weights of the composite score: revenue growth over the year, revenue per km2, "
                "patents per employee, new firms per firm.",
                "assumed: the published evaluation criteria are not public"),
      lognormal(
          real("policy.evaluation.priority_floor_space_growth",
               &P::evaluation_priority_floor_space_growth, 0.01, 0.0, 1.0, "1/year",
               "Extra floor-space growth of a priority park.",
               "bound, no study: Shanghai sold 7.75 km2 of industrial/R&D land in 2022 (city land "
               "data); "
               "1/10-1/2 of it steered to ~150 km2 of priority parks => 0.5-2.6 %/yr; MOFCOM zone "
               "evaluation publishes no land rewards; L (docs/levers.md)"),
          0.01, 0.8),
      lognormal(
          real("policy.evaluation.priority_signal", &P::evaluation_priority_signal, 0.1, 0.0, 10.0,
               "signal units", "Bonus to the signal funds see of firms in a priority park.",
               "bound: no study of VC response to park rankings; Howell (2017 AER): an SBIR award "
               "doubles "
               "P(VC), not via certification; fund momentum already rewards growing parks; L "
               "(docs/levers.md)"),
          0.1, 0.8),
      lognormal(
          real("policy.evaluation.notice_effort", &P::evaluation_notice_effort, 0.3, 0.0, 10.0,
               "fraction",
               "Extra effort of a notified park's administration until its next evaluation: its "
               "own land supply, standard factories, industry upstairs and incubator upgrades "
               "run at this much more than the evaluation lever's level.",
               "bound: MOFCOM's zone evaluation summons ~10 of ~220 zones a year and makes them "
               "rectify (press 2020-21); Li & Zhou (2005 JPubE) performance-linked turnover; Pang, "
               "Keng & Zhang (2023 China Q.) no effort effect; summons effects fade (Li, Xu & Hong "
               "2021) => 0.07-1.3; L (docs/levers.md)"),
          0.3, 0.9),
      lognormal(
          real("policy.evaluation.low_rank_effort", &P::evaluation_low_rank_effort, 0.1, 0.0, 10.0,
               "fraction",
               "Extra effort of a park ranked below the zone's mean (score < 0) that is not "
               "notified, as for a notice.",
               "bound: yardstick competition among local governments (Li & Zhou 2005 JPubE) "
               "without the threat of a notice; no study separates it from the notice response, "
               "so a third of notice_effort with a wider prior; L (docs/levers.md)"),
          0.1, 1.0),
      integer("policy.focus.max_named", &P::focus_max_named, 3, 1, 3, "industries",
              "Leading industries a park may name while the focus lever acts (the largest by "
              "base-year revenue are kept).",
              "docs/policy.md: at most 3"),
      lognormal(real("policy.focus.agglomeration_gain", &P::focus_agglomeration_gain, 0.15, 0.0,
                     10.0, "fraction",
                     "Relative increase of the agglomeration effect in a park's named industries.",
                     "bound: cluster designations show little productivity gain (Martin, Mayer & "
                     "Mayneris 2011 "
                     "RSUE: none; Falck, Heblich & Kipar 2010 RSUE: P(innovate) +4.6-5.7 pp, R&D "
                     "-19 %); L "
                     "(docs/levers.md)"),
                0.15, 0.9),
      lognormal(
          real("policy.focus.outside_drift", &P::focus_outside_drift, 0.008, 0.0, 1.0, "1/year",
               "Growth penalty of leading-industry firms in a park that does not name their "
               "industry.",
               "bound: a zone package = +20 % GDP level (Alder, Shao & Zilibotti 2016 JEG), mostly "
               "via "
               "entry (Lu, Wang & Zhu 2019 AEJ:Pol); 1/10-1/2 industry-specific => ln(1.2)/5 x "
               "0.1-0.5 = "
               "0.004-0.018/yr for 5 years; L (docs/levers.md)"),
          0.008, 0.8),
      lognormal(real("policy.land.supply_growth", &P::land_supply_growth, 0.01, 0.0, 1.0, "1/year",
                     "Extra growth of every park's floor space.",
                     "bound from supply: Shanghai sold 7.75 km2 of industrial/R&D/warehouse land "
                     "in 2022 (city "
                     "land data); 1/4-1/2 of it extra for the 531 km2 zone at 1.5-2x density => "
                     "0.5-1.5 %/yr; "
                     "L-M (docs/levers.md)"),
                0.01, 0.8),
      lognormal(
          real("policy.land.standard_factories_reserve", &P::standard_factories_reserve, 0.03, 0.0,
               0.9, "fraction",
               "Share of floor space held ready for new projects: entrants see occupancy this much "
               "lower.",
               "bound, no study: a vacant reserve of 1/2-1 year of entrants' space (~2 m m2/yr, "
               "assumed) "
               "= 1-2 % of 111 m m2 => 0.011-0.022, up to ~0.1 where new standard blocks open; L "
               "(docs/levers.md)"),
          0.03, 0.8),
      lognormal(real("policy.land.upstairs_gain", &P::upstairs_gain, 0.03, 0.0, 1.0, "1/year",
                     "Floor space added per year by building upstairs, as a share of the floor "
                     "space used.",
                     "announced: Shanghai 2023 'industry upstairs' measures, >= 30 m m2 in 3 years "
                     "(SHEITC "
                     "2023-09-20); zone share 0.3-0.7, net of demolition 0.5-0.75 => 1.5-5.3 m "
                     "m2/yr on 94 m m2 "
                     "used => 0.016-0.056/yr for 3 years; M (docs/levers.md)"),
                0.03, 0.5),
      uniform(real("policy.land.consolidation_relief", &P::consolidation_relief, 0.1, 0.0, 1.0,
                   "fraction", "Relative reduction of the congestion drift penalty.",
                   "bound, no study: only the fragmentation part (<= 1/2) of the congestion "
                   "penalty can fall, "
                   "on the consolidated share (<= 1/2-2/3) of crowded parks => 0-0.3; L "
                   "(docs/levers.md)"),
              0.0, 0.3),
      lognormal(real("policy.cultivation.leader_packages_drift", &P::leader_packages_drift, 0.002,
                     0.0, 1.0, "1/year", "Extra growth drift of chain leaders and large firms.",
                     "bound: large firms do not respond to subsidies (Criscuolo et al. 2019 AER; "
                     "Bronzini & "
                     "Iachini 2014 AEJ:Pol); Chinese subsidies to listed firms do not raise TFP "
                     "(Branstetter, "
                     "Li & Ren 2023 JCE); TFP +1.6 % level (Chen et al. 2021 AER) => <= 0.004/yr "
                     "for 4 years; L"),
                0.002, 1.0),
      lognormal(
          real("policy.cultivation.title_services_drift", &P::title_services_drift, 0.003, 0.0, 1.0,
               "1/year", "Extra growth drift of unicorns, hidden champions and little giants.",
               "bound: little-giant DIDs report innovation/TFP, not revenue, and select on prior "
               "growth; "
               "certification alone has no effect (Santoleri et al. 2024 REStat); central grants "
               "~3.3 m "
               "CNY/yr for ~11 % of little giants (MOF & MIIT 2021) => ~0.003/yr for 3 years; L"),
          0.003, 1.0),
      lognormal(real("policy.cultivation.consortia_innovation_gain", &P::consortia_innovation_gain,
                     0.1, 0.0, 10.0, "fraction",
                     "Relative increase of the innovation rate of large firms and chain leaders.",
                     "bound: Japanese consortia raised members' R&D and patenting (Branstetter & "
                     "Sakakibara "
                     "1998 JIE, 2002 AER); SEMATECH members cut R&D (Irwin & Klenow 1996 JIE); "
                     "+10-30 % per "
                     "participant x participation 0.3-0.5 => ~0.1; L"),
                0.1, 1.0),
      lognormal(
          real("policy.incubation.new_incubators_per_year", &P::new_incubators_per_year, 2.0, 0.0,
               1000.0, "incubators/year", "New incubators founded per year (full scale).",
               "announced: Shanghai plan (2023, No. 16) >= 20 high-quality incubators by 2025 = "
               "6.7/yr "
               "city-wide x 0.5 new (vs upgraded, assumed) x 0.6 zone share = 2.0/yr for 2023-25; "
               "L"),
          2.0, 0.5),
      normal(real("policy.incubation.new_incubators_quality", &P::new_incubators_quality, 0.15,
                  -5.0, 5.0, "log quality", "Quality of a new incubator.",
                  "bound: certified national incubators raise tenants' R&D efficiency 14.4 % (Wu, "
                  "Zhao & Nan "
                  "2017, PSM) => ~0.13 log quality; certification effects negligible (Lukes et al. "
                  "2019 "
                  "Technovation); survival effects +/- (Amezcua et al. 2013 AMJ); L"),
             0.15, 0.2),
      lognormal(real("policy.incubation.upgrade_quality", &P::incubator_upgrade_quality, 0.022, 0.0,
                     2.0, "log quality/year", "Yearly quality gain of every incubator.",
                     "bound: a one-off gain <= 0.13 log quality per upgraded incubator (Wu, Zhao & "
                     "Nan 2017) x "
                     "0.5 upgraded (Shanghai/Pudong 2023 plans) = 0.065 over 2023-25 = 0.022/yr "
                     "for 3 years; L"),
                0.022, 0.8),
      lognormal(real("policy.incubation.relay_space_share", &P::relay_space_share, 0.1, 0.0, 0.9,
                     "fraction", "Graduates see their park's occupancy this much lower.",
                     "bound, no evaluation of relay incubation: set like the standard-factory "
                     "reserve; 0.3 "
                     "would be a 30 % reserve, larger than any announced; L"),
                0.1, 0.7),
      lognormal(real("policy.incubation.proof_of_concept_team_gain", &P::proof_of_concept_team_gain,
                     0.3, 0.0, 100.0, "fraction",
                     "Relative increase of university founding teams per incubator.",
                     "bound: proof-of-concept centres raise university spin-offs (Hayter & Link "
                     "2015 JTT; size "
                     "not read); a doubling is the upper tail; median +30 %; L"),
                0.3, 0.8),
      lognormal(
          real("policy.incubation.advance_productivity", &P::advance_incubation_productivity, 0.1,
               0.0, 5.0, "log points", "Productivity premium of founding teams of incubators.",
               "bound, no evaluation of advance incubation: of the order of the national-incubator "
               "effect "
               "on tenants' R&D efficiency, +14.4 % = 0.13 log (Wu, Zhao & Nan 2017), shaded for "
               "earlier "
               "projects; L"),
          0.1, 0.8),
      lognormal(
          real(
              "policy.finance.government_fund_new_per_year", &P::government_fund_new_per_year, 3.3,
              0.0, 1e4, "funds/year",
              "Extra government guidance funds raised per year (full scale).",
              "announced: Shanghai mother funds 89.0 bn CNY (IC 45.0, biomedicine 21.5, AI 22.5; 8 "
              "investment years; 2024-07-26) x zone share 0.76 => 8.5 bn/yr / 2.56 bn mean fund = "
              "3.3/yr; realisation risk (Wei, Ang & Jia 2023: 26 % of funds met target size); M/L"),
          3.3, 0.45),
      lognormal(real("policy.finance.government_fund_leverage_gain",
                     &P::government_fund_leverage_gain, 0.3, 0.0, 20.0, "ratio",
                     "Extra private money crowded in per CNY of government money.",
                     "bound: crowding-in exists (Brander, Du & Hellmann 2015 RF) but pushing for "
                     "more fails: "
                     "guidance stakes do not raise fund size (Guo 2018), GPs shun government LPs "
                     "(Colonnelli, "
                     "Li & Liu 2024 JPE); L"),
                0.3, 0.9),
      lognormal(
          real(
              "policy.finance.government_fund_early_tilt", &P::government_fund_early_tilt, 0.2, 0.0,
              10.0, "signal units",
              "How much less strictly government funds screen seed and A rounds (early and small).",
              "bound: guidance funds do not shift VC to early-stage firms (Zhao & Tao 2023, DiD) "
              "and "
              "pick lower-risk projects (Li, Liang & Wang 2020); the base already screens "
              "government "
              "funds 0.5 lower; L"),
          0.2, 0.8),
      lognormal(real("policy.finance.incubation_investment_seek_gain",
                     &P::incubation_investment_seek_gain, 0.3, 0.0, 100.0, "fraction",
                     "Relative increase of incubatees' rate of seeking a round.",
                     "bound, no study of incubator-investor linkage: Howell (2017 AER, SBIR "
                     "~doubles later VC) "
                     "is an upper bound from a stronger treatment; accelerator effects on "
                     "fundraising mixed to "
                     "nil (Yu 2020 MS; Lukes et al. 2019); L"),
                0.3, 0.8),
      lognormal(
          real("policy.finance.corporate_vc_new_per_year", &P::corporate_vc_new_per_year, 2.5, 0.0,
               1e4, "funds/year", "Extra corporate venture funds raised per year (full scale).",
               "bound, no evaluation of CVC promotion: the base has ~15 % corporate funds (US "
               "share, "
               "Chemmanur, Loutskina & Tian 2014 RFS); the lever = +50 % of that flow, tails +20 % "
               "to "
               "+130 %; L"),
          2.5, 0.6),
      lognormal(
          real("policy.finance.investment_loan_boost", &P::investment_loan_boost, 0.1, 0.0, 10.0,
               "fraction",
               "Relative increase of the growth boost after a venture round: a bank loan comes "
               "with the round (loan/equity x the share of rounds with a loan).",
               "bound, no evaluation of the 2016 investment-loan pilots: loan/equity 0.2-0.35 "
               "(assumed) x "
               "share of rounds with a loan 0.3-0.5 (assumed) = 0.06-0.18; L"),
          0.1, 0.9),
      lognormal(real("policy.talent.training_gain", &P::training_gain, 0.2, 0.0, 100.0, "fraction",
                     "Relative increase of trainees per year.",
                     "bound from scale: Shanghai's IC scarce-talent training ~1,000 "
                     "person-times/yr (2022), "
                     "mostly incumbents; training re-sorts more than adds (Card, Kluve & Weber "
                     "2018 JEEA) => "
                     "+0.1-0.4 of the trainee flow; L"),
                0.2, 0.8),
      lognormal(real("policy.talent.postdocs_per_year", &P::postdocs_per_year, 500.0, 0.0, 1e6,
                     "persons/year", "Postdocs arriving per year in firms' stations (full scale).",
                     "scale: Shanghai posted ~5,157 postdoc positions in H2 2022 (HRSS); ~12 % of "
                     "postdocs work "
                     "in firms (MOHRSS 2010); zone share ~0.6 => 360-600 firm postdocs/yr in all; "
                     "the increment "
                     "<= that; L"),
                500.0, 0.7),
      lognormal(
          real("policy.talent.postdoc_skill", &P::postdoc_skill, 0.5, 0.0, 5.0, "log points",
               "Skill premium of a postdoc over a graduate.",
               "bound from wages: postdoc/graduate pay 1.15-1.5 (Shanghai 2022 postings) over the "
               "wage-skill premium => 0.47-1.35 log skill; median 0.5; L"),
          0.5, 0.6),
      lognormal(real("policy.talent.international_gain", &P::international_gain, 0.15, 0.0, 100.0,
                     "fraction", "Relative increase of international arrivals.",
                     "bound: a ~30-pp tax break doubled high-paid immigrants (Kleven, Landais, "
                     "Saez & Schultz "
                     "2014 QJE); services worth ~5-10 % of net income => +7.5-20 %; city talent "
                     "policies weak "
                     "in first-tier cities; L"),
                0.15, 0.8),
      lognormal(
          real("policy.talent.international_leave_cut", &P::international_leave_cut, 0.01, 0.0, 1.0,
               "fraction", "Relative reduction of the rates of leaving Shanghai.",
               "bound: a 10-30 % cut of international talent's leaving x their ~3-5 % share of "
               "leading-industry talent => ~0.01 on every agent's leave rates under this rule; L"),
          0.01, 1.0),
      lognormal(real("policy.ip.protection_rd_gain", &P::ip_protection_rd_gain, 0.06, 0.0, 10.0,
                     "fraction",
                     "Relative increase of R&D intensity when firms keep more of its returns.",
                     "bound: IP-court reform raised invention patents 22.6 % (city DiD) = 0.20, an "
                     "upper bound; "
                     "patents respond partly by propensity (Dang & Motohashi 2015 CER); Shanghai "
                     "has had an IP "
                     "court since 2014 => /2 twice = 0.06; L"),
                0.06, 0.8),
      lognormal(
          real("policy.ip.protection_spillover_cut", &P::ip_protection_spillover_cut, 0.05, 0.0,
               1.0, "fraction",
               "Relative reduction of the productivity spillover (imitation) rate.",
               "bound: patent rights cut follow-on use by a third where they block (Galasso & "
               "Schankerman "
               "2015 QJE; IT, electronics, medical instruments) x 0.3 of spillovers via patented "
               "knowledge x 0.5 marginal change = 0.05; L"),
          0.05, 0.9),
      lognormal(
          real("policy.ip.pledge_ratio", &P::ip_pledge_ratio, 0.09, 0.0, 10.0, "ratio",
               "Credit line of a firm, per CNY of its yearly R&D spending.",
               "Shanghai 2022: 12.15 bn CNY of IP pledge financing / business R&D 138.7 bn (0.70 x "
               "198.16) = 0.088; the policy assumed to double it => +0.09 per CNY of R&D; M (2022 "
               "ratio) "
               "/ L (increment)"),
          0.09, 0.7),
      lognormal(real("policy.open.innovation_centres_spillover_gain",
                     &P::open_innovation_spillover_gain, 0.05, 0.0, 10.0, "fraction",
                     "Relative increase of suppliers' catch-up with their chain leader.",
                     "joining a leader's supply chain raises supplier TFP 4-9 % after 4 years "
                     "(Alfaro-Urena, "
                     "Manelici & Vasquez 2022 QJE) => +30 % catch-up x 5-20 % of firms matched by "
                     "centres => "
                     "~0.05; L"),
                0.05, 1.0),
      lognormal(
          real("policy.open.choke_point_innovation_gain", &P::choke_point_innovation_gain, 0.06,
               0.0, 10.0, "fraction",
               "Relative increase of the innovation rate of IC and AI firms.",
               "no evaluation of 'jie bang gua shuai' found; sized as extra R&D: ~1.7 bn CNY/yr of "
               "projects = +6 % of the zone's IC+AI R&D => +6 % innovation rate; L"),
          0.06, 0.9),
      lognormal(
          real("policy.industry.ic_drift", &P::ic_programme_drift, 0.008, 0.0, 1.0, "1/year",
               "Extra growth drift of IC firms in the zone.",
               "bound: Big Fund DIDs find revenue gains (magnitudes not read); subsidies do not "
               "raise TFP "
               "(Branstetter et al. 2023), large firms do not respond (Criscuolo et al. 2019 AER); "
               "funding 2.2 % of IC revenue/yr, 1/3 responsive => ~3.7 % level over 5 years => "
               "0.008/yr "
               "for 5 years; L"),
          0.008, 0.9),
      lognormal(
          real("policy.industry.biomedicine_drift", &P::biomedicine_programme_drift, 0.006, 0.0,
               1.0, "1/year", "Extra growth drift of biomedicine firms in the zone (R&D).",
               "bound: the MAH pilot raised pharma R&D, not revenue (Zhai et al. 2025, PSM-DID); "
               "funding "
               "0.5-0.9 % of zone biomedicine revenue/yr (21.5 bn mother fund), responsive share "
               "~0.5 => "
               "1.4-4.5 % over 5 years => ~0.006/yr for 5 years; L"),
          0.006, 0.9),
      lognormal(
          real(
              "policy.industry.biomedicine_city_drift", &P::biomedicine_programme_city_drift, 0.004,
              0.0, 1.0, "1/year",
              "Extra growth of biomedicine outside the zone (manufacturing in Shanghai).",
              "derived from the zone's drift: zone R&D firms commission 20-50 % of manufacturing "
              "outside "
              "the zone under MAH; outside/zone size 0.4/0.6 => 0.3-0.75 x 0.006 = ~0.004/yr for 5 "
              "years; L"),
          0.004, 1.0),
      lognormal(
          real("policy.industry.ai_compute_productivity_drift", &P::ai_compute_productivity_drift,
               0.003, 0.0, 1.0, "1/year", "Yearly log-productivity growth of AI firms.",
               "bound, no evaluation of compute vouchers: 20-30 % subsidy (Shanghai 2023, 2025) on "
               "compute worth 10-30 % of AI developers' costs, reaching 10-30 % of AI firms => "
               "0.2-2.7 % "
               "level over 3 years => ~0.003/yr for 3 years; L"),
          0.003, 0.9),
      lognormal(
          real("policy.global.international_gain", &P::global_network_international_gain, 0.15, 0.0,
               100.0, "fraction", "Relative increase of international talent arrivals.",
               "bound: a cash tax scheme doubled high-paid foreign arrivals (Kleven et al. 2014 "
               "QJE); "
               "facilitation worth 3-10 % of net income => +5-20 %, amenities up to +50 %; L"),
          0.15, 0.7),
      lognormal(
          real("policy.global.private_funds_gain", &P::global_network_private_funds_gain, 0.03, 0.0,
               100.0, "fraction", "Relative increase of private funds raised per year.",
               "bound: foreign-currency funds were 1.1 % of new funds and 6 % of money raised in "
               "H1 2022 "
               "(Zero2IPO); +50 % foreign raising x 1-18 % share => 0.005-0.09; L"),
          0.03, 0.9),
      lognormal(
          real("policy.coordination.search_gain", &P::coordination_search_gain, 0.15, 0.0, 10.0,
               "fraction", "Relative increase of talent's search in other parks.",
               "bound: distance dominates job search (Marinescu & Rathelot 2018 AEJ:Macro: -35 % "
               "applications at 10 miles); information tools broaden search (Belot, Kircher & "
               "Muller "
               "2019) by unstated amounts => +4 % to +56 %; L"),
          0.15, 0.8),
      lognormal(
          real("policy.coordination.distance_gain", &P::coordination_distance_gain, 0.2, 0.0, 100.0,
               "fraction", "Relative increase of the distance scale of firm relocation.",
               "bound: firm relocations show a border wall at prefecture level, not within cities "
               "(PRD "
               "firms); the 22 parks are in one city => a small barrier to remove => 0.05-0.75; L"),
          0.2, 0.8),

      // --- targets (docs/policy.md)
      integer("targets.year", &P::target_year, 2025, 2022, 2100, "year",
              "The year the targets are for.", "docs/policy.md: all targets are 'by 2025'"),
      real("targets.champions", &P::target_champions, 100, 0, 1e9, "firms",
           "Unicorns plus hidden champions: met when more than this.", "docs/policy.md: > 100"),
      real("targets.leading_share", &P::target_leading_share, 0.85, 0, 1, "fraction",
           "The zone's share of the city's three leading industries: met at or above this.",
           "docs/policy.md: >= 85 %"),
      real("targets.trillion_parks", &P::target_trillion_parks, 3, 0, 22, "parks",
           "Parks at trillion-yuan scale: met at or above this (the low end of 3-5).",
           "docs/policy.md: 3-5"),
      real("targets.talent", &P::target_talent, 800000, 0, 1e9, "persons",
           "Talent in the three leading industries: met at or above this.",
           "docs/policy.md: 800,000"),
      real("targets.hq_incubators", &P::target_hq_incubators, 20, 0, 1e6, "incubators",
           "High-quality incubators: met at or above this.", "docs/policy.md: 20"),
      real("targets.new_tech_firms", &P::target_new_tech_firms, 200, 0, 1e6, "firms/day",
           "New tech firms per day over the year: met at or above this.", "docs/policy.md: 200"),
      real("targets.rd_intensity", &P::target_rd_intensity, 0.075, 0, 1, "fraction",
           "R&D spending over GDP (value added): met at or above this.", "docs/policy.md: ~7.5 %"),
      real("targets.pct", &P::target_pct, 5000, 0, 1e9, "applications/year",
           "PCT patent applications in the year: met at or above this.", "docs/policy.md: ~5,000"),
      real("targets.vc_share", &P::target_vc_share, 0.6, 0, 1, "fraction",
           "The zone's share of the venture capital invested in the city's leading industries "
           "in the year: met when more than this.",
           "docs/policy.md: > 60 %"),
      real("targets.nuclear_points", &P::target_nuclear_points, 2, 0, 100, "clusters",
           "Innovation nuclear points (a park's named leading industry whose firms founded since "
           "the run began have output at or above targets.nuclear_point_cny): met at or above "
           "this (the low end of 2-3).",
           "docs/policy.md: 2-3"),
      real("targets.trillion_scale_cny", &P::trillion_scale_cny, 1e12, 1, 1e15, "CNY/year",
           "Revenue of a park at trillion-yuan scale.", "docs/policy.md"),
      real("targets.nuclear_point_cny", &P::nuclear_point_cny, 1e11, 1, 1e15, "CNY/year",
           "Output of an innovation nuclear point.", "docs/policy.md: 100 bn CNY"),
      plausible(real("targets.value_added_ratio", &P::value_added_ratio, 0.31, 0.01, 1.0,
                     "fraction", "Value added (GDP) per CNY of firms' revenue, for R&D over GDP.",
                     "national high-tech zones 2021: GDP 15.3 trn / operating revenue 49.51 trn "
                     "CNY (MOST; Torch Centre 2021 report; H), the ratio the base data use to "
                     "turn parks' value added into revenue; L. Low end: Songjiang ETDZ 0.145 "
                     "(2021; M); no ratio by industry found"),
                0.145, 0.40),
      real("targets.city_rd_cny", &P::city_rd_cny, 198.16e9, 0.0, 1e15, "CNY/year",
           "The city's R&D spending of all performers in the base year.",
           "Shanghai 2022: 198.16 bn CNY, 4.44 % of GDP 4,465.28 bn (NBS/MOST/MOF 2022 R&D "
           "communique; Shanghai 2022 statistical bulletin; H)"),
      plausible(real("targets.city_business_rd_share", &P::city_business_rd_share, 0.70, 0.0, 1.0,
                     "fraction",
                     "Share of the city's R&D that enterprises perform (the rest: institutes, "
                     "universities, other).",
                     "between Shanghai's enterprise-funded share 0.62 (2017; Shanghai Institute "
                     "of S&T via Yicai; M) and the national enterprise share 0.776 (2022 R&D "
                     "communique; H); Shanghai's own split not found; L"),
                0.62, 0.776),
      plausible(
          real("targets.zone_non_business_rd_share", &P::zone_non_business_rd_share, 0.60, 0.0, 1.0,
               "fraction", "The zone's share of the city's R&D by institutes and universities.",
               "assumed: the zone holds the Zhangjiang facilities and national labs, "
               "ShanghaiTech and the Fudan, Tongji, SJTU and ECNU campuses of its parks, "
               "but many institutes and universities lie outside; wide range"),
          0.40, 0.85),
      plausible(real("targets.non_business_rd_growth", &P::non_business_rd_growth, 0.089, -0.5, 1.0,
                     "1/year",
                     "Growth of the zone's R&D by institutes and universities (compound, from "
                     "the base year); it is exogenous: no lever acts on it yet.",
                     "the city's R&D 2021 -> 2022: 181.98 -> 198.16 bn CNY (STCSM; 2022 "
                     "communique; H); L"),
                0.04, 0.15),
  };
  specs.insert(specs.end(), std::make_move_iterator(effects.begin()),
               std::make_move_iterator(effects.end()));
  return specs;
}

std::vector<ParamSpec> build_specs() {
  std::vector<ParamSpec> specs = model_specs();
  // The city, levers and targets come before the output keys.
  const auto output = std::find_if(specs.begin(), specs.end(), [](const ParamSpec& spec) {
    return spec.key.rfind("output.", 0) == 0;
  });
  std::vector<ParamSpec> policy = city_and_policy_specs();
  specs.insert(output, std::make_move_iterator(policy.begin()),
               std::make_move_iterator(policy.end()));
  return specs;
}

}  // namespace

const std::vector<ParamSpec>& parameter_specs() {
  static const std::vector<ParamSpec> specs = build_specs();
  return specs;
}

const ParamSpec* find_parameter(const std::string& key) {
  for (const ParamSpec& spec : parameter_specs()) {
    if (spec.key == key) return &spec;
  }
  return nullptr;
}

std::string prior_name(PriorKind kind) {
  switch (kind) {
    case PriorKind::none:
      return "";
    case PriorKind::uniform:
      return "uniform";
    case PriorKind::normal:
      return "normal";
    case PriorKind::lognormal:
      return "lognormal";
  }
  return "?";
}

double prior_quantile(const Prior& prior, double q) {
  const double z = boost::math::quantile(boost::math::normal(), q);
  switch (prior.kind) {
    case PriorKind::uniform:
      return prior.a + q * (prior.b - prior.a);
    case PriorKind::normal:
      return prior.a + z * prior.b;
    case PriorKind::lognormal:
      return prior.a * std::exp(z * prior.b);
    case PriorKind::none:
      break;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

std::string type_name(ParamType type) {
  switch (type) {
    case ParamType::boolean:
      return "boolean";
    case ParamType::integer:
      return "integer";
    case ParamType::real:
      return "number";
    case ParamType::text:
      return "string";
    case ParamType::real_list:
      return "list of numbers";
  }
  return "?";
}

std::string format_value(const ParamValue& value) {
  std::ostringstream out;
  out.precision(17);
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          out << (v ? "true" : "false");
        } else if constexpr (std::is_same_v<T, std::string>) {
          out << '"' << v << '"';
        } else if constexpr (std::is_same_v<T, std::vector<double>>) {
          out << '[';
          for (std::size_t i = 0; i < v.size(); ++i) out << (i ? ", " : "") << v[i];
          out << ']';
        } else {
          out << v;
        }
      },
      value);
  return out.str();
}

}  // namespace clustersim
