#include "clustersim/model/series.hpp"

#include <cmath>
#include <stdexcept>

#include "clustersim/model/flows.hpp"

namespace clustersim {

const std::vector<SeriesInfo>& SeriesBook::catalogue() {
  using S = SeriesShape;
  static const std::vector<SeriesInfo> series = {
      {"revenue_cny", "CNY/year", S::cell, "annualised revenue of living firms at the month's end"},
      {"firms", "firms", S::cell, "living firms at the month's end"},
      {"employees", "persons", S::cell,
       "employees of living firms at the month's end (talent in the leading sectors)"},
      {"entries", "firms/month", S::cell,
       "new tech firms founded during the month (direct founding and spin-offs)"},
      {"spinoffs", "firms/month", S::cell, "firms founded by talent who left their employer"},
      {"exits", "firms/month", S::cell, "firms that exited during the month"},
      {"talent", "persons", S::cell, "talent agents working or seeking work in the cell"},
      {"seeking_talent", "persons", S::cell, "talent without a job at the month's end"},
      {"vacancies", "persons", S::cell, "vacancies still open at the month's end"},
      {"talent_left_zone", "persons/month", S::cell,
       "talent who left the zone with their employer for the rest of the city"},
      {"hires", "persons/month", S::cell, "talent hired during the month (by the hiring cell)"},
      {"talent_arrivals", "persons/month", S::cell,
       "graduates, trainees, international arrivals and founding teams joining the pool"},
      {"talent_departures", "persons/month", S::cell,
       "talent who retired or left Shanghai during the month"},
      {"incubated", "firms", S::cell, "firms in incubators at the month's end"},
      {"incubator_admissions", "firms/month", S::cell,
       "firms admitted by incubators (university and proof-of-concept teams included)"},
      {"graduations", "firms/month", S::cell, "firms that left their incubator alive"},
      {"incubators", "incubators", S::park, "incubators in the park"},
      {"high_quality_incubators", "incubators", S::park,
       "incubators holding the high-quality status"},
      {"vc_invested_cny", "CNY/month", S::cell,
       "venture capital invested in the cell's firms during the month (funds and the private "
       "money guidance funds crowd in)"},
      {"vc_rounds", "rounds/month", S::cell, "financing rounds closed during the month"},
      {"vc_invested_by_round_cny", "CNY/month", S::park_round,
       "venture capital invested during the month, by park and round (seed, A, B, C, later)"},
      {"ipos", "firms/month", S::cell, "venture-backed firms that listed during the month"},
      {"acquisitions", "firms/month", S::cell, "venture-backed firms acquired during the month"},
      {"write_offs", "deals/month", S::cell, "fund stakes written off (the firm exited)"},
      {"unicorns", "firms", S::cell, "private firms valued at US$1 bn or more"},
      {"firms_by_stage", "firms", S::cell_stage,
       "living firms by stage: startup, growth, large, little_giant, hidden_champion, unicorn, "
       "chain_leader"},
      {"rd_spending_cny", "CNY/year", S::cell, "R&D spending rate of living firms"},
      {"innovations", "events/month", S::cell, "innovation events (productivity jumps)"},
      {"patents", "applications/month", S::cell, "patent applications, PCT ones included"},
      {"pct_applications", "applications/month", S::cell, "PCT patent applications"},
      {"firm_moves", "firms/month", S::park_pair,
       "firms that relocated to another park (origin, destination)"},
      {"floor_space_m2", "m2", S::park, "floor space available to firms"},
      {"used_floor_space_m2", "m2", S::park, "floor space used by firms' employees"},
      {"talent_moves", "persons/month", S::park_pair,
       "talent hired in another park than the one they worked or sought work in "
       "(origin, destination)"},
      {"in_zone", "flag", S::park,
       "1 while the park is in the zone, 0 once its plaque is removed (zone totals leave it out)"},
      {"standing", "code", S::park,
       "standing after the last evaluation: 1 priority, 0 normal, -1 notified, -2 removed", false},
      {"evaluation_score", "standard deviations", S::park,
       "composite score at the last evaluation (NaN before the first, or outside the zone)", false},
  };
  return series;
}

const std::vector<SeriesInfo>& SeriesBook::city_catalogue() {
  using S = SeriesShape;
  static const std::vector<SeriesInfo> series = {
      {"leading_industries_cny", "CNY/year", S::leading,
       "scale of the city's three leading industries: the zone plus the rest of the city"},
      {"zone_leading_industries_cny", "CNY/year", S::leading,
       "the zone's part of them (parks in the zone)"},
      {"outside_leading_industries_cny", "CNY/year", S::leading,
       "the rest of the city: the aggregate region plus parks whose plaque was removed"},
      {"outside_talent", "persons", S::leading,
       "talent of the leading industries outside the zone (aggregate region: revenue over the "
       "month's revenue per employee at productivity 1; removed parks: their talent agents)"},
      {"vc_invested_cny", "CNY/month", S::total, "venture capital invested in the city"},
      {"zone_vc_invested_cny", "CNY/month", S::total,
       "venture capital invested in firms of parks in the zone"},
      {"firms_left_zone", "firms/month", S::total,
       "firms that relocated from the zone to the rest of the city"},
  };
  return series;
}

const SeriesInfo& SeriesBook::info(const std::string& name) {
  for (const SeriesInfo& series : catalogue()) {
    if (series.name == name) return series;
  }
  throw std::out_of_range("no series '" + name + "'");
}

SeriesBook::SeriesBook(std::size_t parks) : parks_(parks) {
  for (const SeriesInfo& info : catalogue()) values_[info.name];
  for (const SeriesInfo& info : city_catalogue()) city_values_[info.name];
}

std::size_t SeriesBook::row_size(const SeriesInfo& info) const {
  switch (info.shape) {
    case SeriesShape::cell:
      return parks_ * sector_count;
    case SeriesShape::park:
      return parks_;
    case SeriesShape::park_pair:
      return parks_ * parks_;
    case SeriesShape::park_round:
      return parks_ * round_count;
    case SeriesShape::cell_stage:
      return parks_ * sector_count * stage_count;
    case SeriesShape::leading:
      return leading_count;
    case SeriesShape::total:
      return 1;
  }
  return 0;
}

void SeriesBook::record(int year, int month, const Parks& parks, const CellStats& cells,
                        const StepFlows& flows, const City& city, double weight) {
  year_.push_back(year);
  month_.push_back(month);
  auto append = [this](const std::string& name, const std::vector<double>& row, double scale) {
    auto& column = values_.at(name);
    for (double v : row) column.push_back(v * scale);
  };
  append("revenue_cny", cells.revenue_cny, 1.0);
  append("firms", cells.firms, 1.0);
  append("employees", cells.employees, 1.0);
  append("entries", flows.entries, weight);
  append("spinoffs", flows.spinoffs, weight);
  append("exits", flows.exits, weight);
  append("talent", cells.talent, 1.0);
  append("seeking_talent", cells.seeking, 1.0);
  append("vacancies", cells.vacancies, 1.0);
  append("talent_left_zone", flows.talent_left_zone, weight);
  append("hires", flows.hires, weight);
  append("talent_arrivals", flows.talent_arrivals, weight);
  append("talent_departures", flows.talent_departures, weight);
  append("incubated", cells.incubated, 1.0);
  append("incubator_admissions", flows.incubator_admissions, weight);
  append("graduations", flows.graduations, weight);
  append("incubators", cells.incubators, 1.0);
  append("high_quality_incubators", cells.high_quality_incubators, 1.0);
  append("vc_invested_cny", flows.vc_invested, weight);
  append("vc_rounds", flows.vc_rounds, weight);
  append("vc_invested_by_round_cny", flows.vc_invested_by_round, weight);
  append("ipos", flows.ipos, weight);
  append("acquisitions", flows.acquisitions, weight);
  append("write_offs", flows.write_offs, weight);
  append("unicorns", cells.unicorns, 1.0);
  append("firms_by_stage", cells.stage_counts, 1.0);
  append("rd_spending_cny", cells.rd_spending_cny, 1.0);
  append("innovations", flows.innovations, weight);
  append("patents", flows.patents, weight);
  append("pct_applications", flows.pct_applications, weight);
  append("firm_moves", flows.firm_moves, weight);
  append("floor_space_m2", parks.floor_space_m2, 1.0);
  append("used_floor_space_m2", cells.used_floor_space_m2, 1.0);
  append("talent_moves", flows.talent_moves, weight);
  const std::size_t n_parks = parks.size();
  std::vector<double> in_zone(n_parks), standing(n_parks, 0.0), score(n_parks, std::nan(""));
  for (std::size_t k = 0; k < n_parks; ++k) {
    in_zone[k] = parks.is_in_zone(k) ? 1.0 : 0.0;
    if (!parks.standing.empty()) standing[k] = parks.standing[k];
    if (!parks.score.empty() && parks.is_in_zone(k)) score[k] = parks.score[k];
  }
  append("in_zone", in_zone, 1.0);
  append("standing", standing, 1.0);
  append("evaluation_score", score, 1.0);

  // The city: parks in the zone, and the rest (the aggregate region and removed parks).
  std::vector<double> zone(leading_count, 0.0), outside(leading_count, 0.0),
      outside_talent(leading_count, 0.0);
  double zone_vc = 0.0, removed_vc = 0.0;
  for (std::size_t s = 0; s < leading_count; ++s) {
    outside[s] = city.outside_revenue_cny[s];
    outside_talent[s] = city.outside_talent[s];
  }
  for (std::size_t k = 0; k < n_parks; ++k) {
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(k, s);
      if (parks.is_in_zone(k)) {
        if (is_leading(s)) zone[static_cast<std::size_t>(s)] += cells.revenue_cny[c];
        zone_vc += flows.vc_invested[c] * weight;
      } else {
        if (is_leading(s)) {
          outside[static_cast<std::size_t>(s)] += cells.revenue_cny[c];
          outside_talent[static_cast<std::size_t>(s)] += cells.talent[c];
        }
        removed_vc += flows.vc_invested[c] * weight;
      }
    }
  }
  std::vector<double> city_total(leading_count);
  for (std::size_t s = 0; s < leading_count; ++s) city_total[s] = zone[s] + outside[s];
  auto append_city = [this](const std::string& name, const std::vector<double>& row) {
    auto& column = city_values_.at(name);
    column.insert(column.end(), row.begin(), row.end());
  };
  append_city("leading_industries_cny", city_total);
  append_city("zone_leading_industries_cny", zone);
  append_city("outside_leading_industries_cny", outside);
  append_city("outside_talent", outside_talent);
  append_city("vc_invested_cny", {zone_vc + removed_vc + city.outside_vc_cny});
  append_city("zone_vc_invested_cny", {zone_vc});
  append_city("firms_left_zone", {city.firms_moved_in * weight});
}

}  // namespace clustersim
