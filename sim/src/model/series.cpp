#include "clustersim/model/series.hpp"

#include <cmath>
#include <stdexcept>

#include "clustersim/model/flows.hpp"
#include "clustersim/scenario/levers.hpp"

namespace clustersim {

namespace {

// Where a series' values come from; series() puts the pieces together.
struct Source {
  SeriesMeasure measure = SeriesMeasure::stock;
  std::vector<double> CellStats::*cell_stat = nullptr;
  std::vector<double> StepFlows::*step_flow = nullptr;
  std::vector<double> Parks::*park_column = nullptr;
  double (*park_status)(const Parks&, std::size_t) = nullptr;
  std::vector<double> CityRow::*city_value = nullptr;
};
Source stock(std::vector<double> CellStats::*field) {
  return {SeriesMeasure::stock, field, nullptr, nullptr, nullptr, nullptr};
}
Source flow(std::vector<double> StepFlows::*field) {
  return {SeriesMeasure::flow, nullptr, field, nullptr, nullptr, nullptr};
}
Source park_column(std::vector<double> Parks::*field) {
  return {SeriesMeasure::stock, nullptr, nullptr, field, nullptr, nullptr};
}
Source park_status(double (*status)(const Parks&, std::size_t)) {
  return {SeriesMeasure::stock, nullptr, nullptr, nullptr, status, nullptr};
}
Source city_value(std::vector<double> CityRow::*field, SeriesMeasure measure) {
  return {measure, nullptr, nullptr, nullptr, nullptr, field};
}
SeriesInfo series(std::string name, std::string unit, SeriesShape shape, std::string description,
                  const Source& source, bool summable = true) {
  return {std::move(name),        std::move(unit),  shape,
          std::move(description), summable,         source.measure,
          source.cell_stat,       source.step_flow, source.park_column,
          source.park_status,     source.city_value};
}

double in_zone_flag(const Parks& parks, std::size_t k) { return parks.is_in_zone(k) ? 1.0 : 0.0; }
double standing_code(const Parks& parks, std::size_t k) {
  return parks.standing.empty() ? 0.0 : parks.standing[k];
}
double evaluation_score(const Parks& parks, std::size_t k) {
  return !parks.score.empty() && parks.is_in_zone(k) ? parks.score[k] : std::nan("");
}

}  // namespace

const std::vector<SeriesInfo>& SeriesBook::catalogue() {
  using S = SeriesShape;
  static const std::vector<SeriesInfo> declared = {
      series("revenue_cny", "CNY/year", S::cell,
             "annualised revenue of living firms at the month's end",
             stock(&CellStats::revenue_cny)),
      series("firms", "firms", S::cell, "living firms at the month's end",
             stock(&CellStats::firms)),
      series("employees", "persons", S::cell,
             "employees of living firms at the month's end (talent in the leading sectors)",
             stock(&CellStats::employees)),
      series("entries", "firms/month", S::cell,
             "new tech firms founded during the month (direct founding and spin-offs)",
             flow(&StepFlows::entries)),
      series("spinoffs", "firms/month", S::cell, "firms founded by talent who left their employer",
             flow(&StepFlows::spinoffs)),
      series("exits", "firms/month", S::cell, "firms that exited during the month",
             flow(&StepFlows::exits)),
      series("talent", "persons", S::cell, "talent agents working or seeking work in the cell",
             stock(&CellStats::talent)),
      series("seeking_talent", "persons", S::cell, "talent without a job at the month's end",
             stock(&CellStats::seeking)),
      series("vacancies", "persons", S::cell, "vacancies still open at the month's end",
             stock(&CellStats::vacancies)),
      series("talent_left_zone", "persons/month", S::cell,
             "talent who left the zone with their employer for the rest of the city",
             flow(&StepFlows::talent_left_zone)),
      series("hires", "persons/month", S::cell,
             "talent hired during the month (by the hiring cell)", flow(&StepFlows::hires)),
      series("talent_arrivals", "persons/month", S::cell,
             "graduates, trainees, international arrivals and founding teams joining the pool",
             flow(&StepFlows::talent_arrivals)),
      series("talent_departures", "persons/month", S::cell,
             "talent who retired or left Shanghai during the month",
             flow(&StepFlows::talent_departures)),
      series("incubated", "firms", S::cell, "firms in incubators at the month's end",
             stock(&CellStats::incubated)),
      series("incubator_admissions", "firms/month", S::cell,
             "firms admitted by incubators (university and proof-of-concept teams included)",
             flow(&StepFlows::incubator_admissions)),
      series("graduations", "firms/month", S::cell, "firms that left their incubator alive",
             flow(&StepFlows::graduations)),
      series("incubators", "incubators", S::park, "incubators in the park",
             stock(&CellStats::incubators)),
      series("high_quality_incubators", "incubators", S::park,
             "incubators holding the high-quality status",
             stock(&CellStats::high_quality_incubators)),
      series("vc_invested_cny", "CNY/month", S::cell,
             "venture capital invested in the cell's firms during the month (funds and the private "
             "money guidance funds crowd in)",
             flow(&StepFlows::vc_invested)),
      series("vc_rounds", "rounds/month", S::cell, "financing rounds closed during the month",
             flow(&StepFlows::vc_rounds)),
      series("vc_invested_by_round_cny", "CNY/month", S::park_round,
             "venture capital invested during the month, by park and round (seed, A, B, C, later)",
             flow(&StepFlows::vc_invested_by_round)),
      series("ipos", "firms/month", S::cell, "venture-backed firms that listed during the month",
             flow(&StepFlows::ipos)),
      series("acquisitions", "firms/month", S::cell,
             "venture-backed firms acquired during the month", flow(&StepFlows::acquisitions)),
      series("write_offs", "deals/month", S::cell, "fund stakes written off (the firm exited)",
             flow(&StepFlows::write_offs)),
      series("unicorns", "firms", S::cell, "private firms valued at US$1 bn or more",
             stock(&CellStats::unicorns)),
      series(
          "firms_by_stage", "firms", S::cell_stage,
          "living firms by stage: startup, growth, large, little_giant, hidden_champion, unicorn, "
          "chain_leader",
          stock(&CellStats::stage_counts)),
      series("rd_spending_cny", "CNY/year", S::cell, "R&D spending rate of living firms",
             stock(&CellStats::rd_spending_cny)),
      series("new_firm_revenue_cny", "CNY/year", S::cell,
             "revenue rate of living firms founded since the run began (the new tracks whose "
             "clusters are the innovation nuclear points)",
             stock(&CellStats::new_firm_revenue_cny)),
      series("innovations", "events/month", S::cell, "innovation events (productivity jumps)",
             flow(&StepFlows::innovations)),
      series("patents", "applications/month", S::cell, "patent applications, PCT ones included",
             flow(&StepFlows::patents)),
      series("pct_applications", "applications/month", S::cell, "PCT patent applications",
             flow(&StepFlows::pct_applications)),
      series("firm_moves", "firms/month", S::park_pair,
             "firms that relocated to another park (origin, destination)",
             flow(&StepFlows::firm_moves)),
      series("floor_space_m2", "m2", S::park, "floor space available to firms",
             park_column(&Parks::floor_space_m2)),
      series("used_floor_space_m2", "m2", S::park, "floor space used by firms' employees",
             stock(&CellStats::used_floor_space_m2)),
      series("talent_moves", "persons/month", S::park_pair,
             "talent hired in another park than the one they worked or sought work in "
             "(origin, destination)",
             flow(&StepFlows::talent_moves)),
      series("in_zone", "flag", S::park,
             "1 while the park is in the zone, 0 once its plaque is removed (zone totals leave it "
             "out)",
             park_status(in_zone_flag)),
      series("standing", "code", S::park,
             "standing after the last evaluation: 1 priority, 0 normal, -1 notified, -2 removed",
             park_status(standing_code), false),
      series("evaluation_score", "standard deviations", S::park,
             "composite score at the last evaluation (NaN before the first, or outside the zone)",
             park_status(evaluation_score), false),
  };
  return declared;
}

const std::vector<SeriesInfo>& SeriesBook::city_catalogue() {
  using S = SeriesShape;
  static const std::vector<SeriesInfo> declared = {
      series("leading_industries_cny", "CNY/year", S::leading,
             "scale of the city's three leading industries: the zone plus the rest of the city",
             city_value(&CityRow::leading_industries_cny, SeriesMeasure::stock)),
      series("zone_leading_industries_cny", "CNY/year", S::leading,
             "the zone's part of them (parks in the zone)",
             city_value(&CityRow::zone_leading_industries_cny, SeriesMeasure::stock)),
      series("outside_leading_industries_cny", "CNY/year", S::leading,
             "the rest of the city: the aggregate region plus parks whose plaque was removed",
             city_value(&CityRow::outside_leading_industries_cny, SeriesMeasure::stock)),
      series(
          "outside_talent", "persons", S::leading,
          "talent of the leading industries outside the zone (aggregate region: revenue over the "
          "month's revenue per employee at productivity 1; removed parks: their talent agents)",
          city_value(&CityRow::outside_talent, SeriesMeasure::stock)),
      series("vc_invested_cny", "CNY/month", S::total, "venture capital invested in the city",
             city_value(&CityRow::vc_invested_cny, SeriesMeasure::flow)),
      series("zone_vc_invested_cny", "CNY/month", S::total,
             "venture capital invested in firms of parks in the zone",
             city_value(&CityRow::zone_vc_invested_cny, SeriesMeasure::flow)),
      series("firms_left_zone", "firms/month", S::total,
             "firms that relocated from the zone to the rest of the city",
             city_value(&CityRow::firms_left_zone, SeriesMeasure::flow)),
      series("policy_cost_cny", "CNY/month", S::lever_group,
             "fiscal cost of the policy levers by lever group: each acting lever's "
             "intensity x policy.<lever>.cost_cny_per_year / 12 (full scale)",
             city_value(&CityRow::policy_cost_cny, SeriesMeasure::flow)),
  };
  return declared;
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
  return series_row_size(info.shape, parks_);
}

std::size_t series_row_size(SeriesShape shape, std::size_t parks) {
  switch (shape) {
    case SeriesShape::cell:
      return parks * sector_count;
    case SeriesShape::park:
      return parks;
    case SeriesShape::park_pair:
      return parks * parks;
    case SeriesShape::park_round:
      return parks * round_count;
    case SeriesShape::cell_stage:
      return parks * sector_count * stage_count;
    case SeriesShape::leading:
      return leading_count;
    case SeriesShape::total:
      return 1;
    case SeriesShape::lever_group:
      return lever_group_count;
  }
  return 0;
}

// Every flow a series records is sized by that series' shape; the audit's own flows here.
StepFlows::StepFlows(std::size_t parks)
    : firms_left_zone(parks * sector_count),
      talent_relocated(parks * parks),
      policy_cost_cny(lever_group_count, 0.0) {
  for (const SeriesInfo& info : SeriesBook::catalogue()) {
    if (info.step_flow) (this->*info.step_flow).assign(series_row_size(info.shape, parks), 0.0);
  }
}

void SeriesBook::record(int year, int month, const Parks& parks, const CellStats& cells,
                        const StepFlows& flows, const City& city, double weight) {
  year_.push_back(year);
  month_.push_back(month);
  const std::size_t n_parks = parks.size();
  for (const SeriesInfo& info : catalogue()) {
    std::vector<double>& column = values_.at(info.name);
    if (info.cell_stat) {
      const std::vector<double>& row = cells.*info.cell_stat;
      column.insert(column.end(), row.begin(), row.end());
    } else if (info.step_flow) {  // agents, to full-scale equivalents
      for (const double v : flows.*info.step_flow) column.push_back(v * weight);
    } else if (info.park_column) {
      const std::vector<double>& row = parks.*info.park_column;
      column.insert(column.end(), row.begin(), row.end());
    } else {
      for (std::size_t k = 0; k < n_parks; ++k) column.push_back(info.park_status(parks, k));
    }
  }
  const CityRow row = city_row(parks, cells, flows, city, weight);
  for (const SeriesInfo& info : city_catalogue()) {
    const std::vector<double>& values = row.*info.city_value;
    std::vector<double>& column = city_values_.at(info.name);
    column.insert(column.end(), values.begin(), values.end());
  }
}

CityRow city_row(const Parks& parks, const CellStats& cells, const StepFlows& flows,
                 const City& city, double weight) {
  // The city: parks in the zone, and the rest (the aggregate region and removed parks).
  CityRow row;
  std::vector<double> zone(leading_count, 0.0), outside(leading_count, 0.0),
      outside_talent(leading_count, 0.0);
  double zone_vc = 0.0, removed_vc = 0.0;
  for (std::size_t s = 0; s < leading_count; ++s) {
    outside[s] = city.outside_revenue_cny[s];
    outside_talent[s] = city.outside_talent[s];
  }
  for (std::size_t k = 0; k < parks.size(); ++k) {
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
  row.leading_industries_cny.resize(leading_count);
  for (std::size_t s = 0; s < leading_count; ++s) {
    row.leading_industries_cny[s] = zone[s] + outside[s];
  }
  row.zone_leading_industries_cny = std::move(zone);
  row.outside_leading_industries_cny = std::move(outside);
  row.outside_talent = std::move(outside_talent);
  row.vc_invested_cny = {zone_vc + removed_vc + city.outside_vc_cny};
  row.zone_vc_invested_cny = {zone_vc};
  row.firms_left_zone = {city.firms_moved_in * weight};
  row.policy_cost_cny = flows.policy_cost_cny;  // budgets: full scale already
  return row;
}

}  // namespace clustersim
