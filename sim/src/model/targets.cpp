#include "clustersim/model/targets.hpp"

#include <cstdint>

#include "clustersim/model/rules.hpp"
#include "clustersim/model/sectors.hpp"

namespace clustersim {

const std::array<TargetInfo, target_count>& target_catalogue() {
  static const std::array<TargetInfo, target_count> targets = {{
      {"champions", "firms", "unicorns plus hidden champions in the zone in December", true, 0.1},
      {"leading_share", "fraction",
       "the zone's share of the city's three leading industries (revenue over the year)", false,
       0.01},
      {"trillion_parks", "parks",
       "parks in the zone with revenue over the year of at least "
       "targets.trillion_scale_cny",
       false, 0.01},
      {"talent", "persons", "talent of the three leading industries in the zone (December)", false,
       0.1},
      {"hq_incubators", "incubators", "high-quality incubators in the zone (December)", false, 1.0},
      {"new_tech_firms", "firms/day",
       "new tech firms registered in the zone over the year, per day: entries over "
       "firms.entry.tracked_share",
       false, 1.0},
      {"rd_intensity", "fraction",
       "R&D over GDP of the zone: firms' R&D plus institutes' and universities' "
       "(zone_non_business_rd_cny) over targets.value_added_ratio x revenue (over the year)",
       false, 0.1},
      {"pct", "applications/year", "PCT applications of the zone's firms over the year", false,
       0.1},
      {"vc_share", "fraction",
       "the zone's share of the venture capital invested in the city over the year", true, 0.1},
      {"nuclear_points", "clusters",
       "innovation nuclear points: (park, named leading industry) cells in the zone whose firms "
       "founded since the run began have revenue over the year of at least "
       "targets.nuclear_point_cny",
       false, 0.01},
  }};
  return targets;
}

double target_threshold(std::size_t target, const ModelParameters& p) {
  const double thresholds[target_count] = {
      p.target_champions,     p.target_leading_share,  p.target_trillion_parks, p.target_talent,
      p.target_hq_incubators, p.target_new_tech_firms, p.target_rd_intensity,   p.target_pct,
      p.target_vc_share,      p.target_nuclear_points};
  return thresholds[target];
}

bool target_met(std::size_t target, double value, const ModelParameters& p) {
  const double threshold = target_threshold(target, p);
  return target_catalogue()[target].strictly_above ? value > threshold : value >= threshold;
}

void TargetBook::record(int year, const SeriesBook& series, const Parks& parks,
                        const ModelParameters& p) {
  const std::size_t n_parks = series.parks();
  const std::size_t months = series.months();
  const std::size_t n_cells = n_parks * sector_count;
  const std::size_t last = months - 1;
  // The months of this year recorded (12, fewer only if the run started later in the year).
  std::size_t first = last;
  while (first > 0 && series.year()[first - 1] == year) --first;

  const std::vector<double>& in_zone = series.values("in_zone");
  auto zone_flow_sum = [&](const std::string& name) {
    const std::vector<double>& values = series.values(name);
    double total = 0.0;
    for (std::size_t m = first; m <= last; ++m) {
      for (std::size_t k = 0; k < n_parks; ++k) {
        if (in_zone[m * n_parks + k] == 0.0) continue;
        for (int s = 0; s < sector_count; ++s) total += values[m * n_cells + cell_index(k, s)];
      }
    }
    return total;
  };
  auto december = [&](const std::string& name) { return &series.values(name)[last * n_cells]; };
  // Annual totals of run-rate series (CNY/year): the mean run rate over the year's months is the
  // sum of its monthly amounts, the scale the policy's annual figures are stated in.
  const double year_months = static_cast<double>(last - first + 1);
  auto annual = [&](const std::string& name) {
    const std::vector<double>& values = series.values(name);
    std::vector<double> total(n_cells, 0.0);
    for (std::size_t m = first; m <= last; ++m) {
      for (std::size_t c = 0; c < n_cells; ++c) total[c] += values[m * n_cells + c];
    }
    for (double& v : total) v /= year_months;
    return total;
  };
  const std::vector<double> revenue = annual("revenue_cny");
  const std::vector<double> rd = annual("rd_spending_cny");
  const std::vector<double> new_firm_revenue = annual("new_firm_revenue_cny");
  const double* talent = december("talent");
  const double* stages = &series.values("firms_by_stage")[last * n_cells * stage_count];
  const double* incubators = &series.values("high_quality_incubators")[last * n_parks];

  double champions = 0, zone_revenue = 0, zone_rd = 0, zone_talent = 0, hq = 0;
  double trillion_parks = 0, nuclear_points = 0;
  for (std::size_t k = 0; k < n_parks; ++k) {
    if (in_zone[last * n_parks + k] == 0.0) continue;
    double park_revenue = 0.0;
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(k, s);
      park_revenue += revenue[c];
      zone_rd += rd[c];
      champions += stages[c * stage_count + static_cast<std::size_t>(Stage::hidden_champion)] +
                   stages[c * stage_count + static_cast<std::size_t>(Stage::unicorn)];
      if (is_leading(s)) {
        zone_talent += talent[c];
        if (parks.names_leading(k, s) && new_firm_revenue[c] >= p.nuclear_point_cny) {
          nuclear_points += 1;
        }
      }
    }
    zone_revenue += park_revenue;
    if (park_revenue >= p.trillion_scale_cny) trillion_parks += 1;
    hq += incubators[k];
  }
  double city_leading = 0, zone_leading = 0;
  for (std::size_t m = first; m <= last; ++m) {
    for (std::size_t s = 0; s < leading_count; ++s) {
      city_leading += series.city_values("leading_industries_cny")[m * leading_count + s];
      zone_leading += series.city_values("zone_leading_industries_cny")[m * leading_count + s];
    }
  }
  double city_vc = 0, zone_vc = 0;
  for (std::size_t m = first; m <= last; ++m) {
    city_vc += series.city_values("vc_invested_cny")[m];
    zone_vc += series.city_values("zone_vc_invested_cny")[m];
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const double days = static_cast<double>(last - first + 1) / 12.0 * (leap ? 366.0 : 365.0);

  const double values[target_count] = {
      champions,
      city_leading > 0 ? zone_leading / city_leading : 0.0,
      trillion_parks,
      zone_talent,
      hq,
      zone_flow_sum("entries") / p.entry_tracked_share / days,
      zone_revenue > 0
          ? (zone_rd + zone_non_business_rd_cny(year, p)) / (p.value_added_ratio * zone_revenue)
          : 0.0,
      zone_flow_sum("pct_applications"),
      city_vc > 0 ? zone_vc / city_vc : 0.0,
      nuclear_points};
  years_.push_back(year);
  for (std::size_t t = 0; t < target_count; ++t) {
    values_.push_back(values[t]);
    met_.push_back(target_met(t, values[t], p) ? 1 : 0);
  }
}

}  // namespace clustersim
