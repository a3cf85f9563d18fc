#pragma once
// Monthly series: per park x sector, per park or per pair of parks, recorded after every step,
// kept in memory (about 1 MB per run) and written whole at the end.

#include <map>
#include <string>
#include <vector>

#include "clustersim/agents/parks.hpp"
#include "clustersim/model/city.hpp"
#include "clustersim/model/flows.hpp"

namespace clustersim {

// The city's series of one month, computed together (SeriesBook::record).
struct CityRow {
  std::vector<double> leading_industries_cny, zone_leading_industries_cny,
      outside_leading_industries_cny, outside_talent;  // per leading industry
  std::vector<double> vc_invested_cny, zone_vc_invested_cny, firms_left_zone;  // one value
  std::vector<double> policy_cost_cny;                                         // per lever group
};

enum class SeriesShape {
  cell,         // (park, sector)
  park,         // (park)
  park_pair,    // (origin park, destination park)
  park_round,   // (park, financing round: seed, A, B, C, later)
  cell_stage,   // (park, sector, stage)
  leading,      // city level: (leading industry)
  total,        // city level: one value
  lever_group,  // city level: (lever group of the policy)
};

// A stock is the state at the month's end; a flow is what happened during the month (summed
// over a year, it is the year's total).
enum class SeriesMeasure { stock, flow };

// One series, declared once: its name, unit, shape, meaning and where its values come from:
// exactly one of a cell statistic (a stock), a step flow (counted in agents and scaled to full
// scale when recorded), a park column, the parks' evaluation status, or the city's row.
struct SeriesInfo {
  std::string name;
  std::string unit;
  SeriesShape shape;
  std::string description;
  bool summable = true;  // false: a park code or score, with no zone total
  SeriesMeasure measure = SeriesMeasure::stock;
  std::vector<double> CellStats::*cell_stat = nullptr;
  std::vector<double> StepFlows::*step_flow = nullptr;
  std::vector<double> Parks::*park_column = nullptr;
  double (*park_status)(const Parks&, std::size_t park) = nullptr;
  std::vector<double> CityRow::*city_value = nullptr;
};

// Values per month of a series of this shape.
std::size_t series_row_size(SeriesShape shape, std::size_t parks);

// The city's series of one month: the zone's parks, and the rest of the city (the aggregate
// region plus the parks whose plaque was removed).
CityRow city_row(const Parks& parks, const CellStats& cells, const StepFlows& flows,
                 const City& city, double weight);

class SeriesBook {
 public:
  // The series every run records, in output order.
  static const std::vector<SeriesInfo>& catalogue();
  static const SeriesInfo& info(const std::string& name);
  // The city's series (level "city"): the zone, the region outside it and their sum.
  static const std::vector<SeriesInfo>& city_catalogue();

  explicit SeriesBook(std::size_t parks = 0);

  // Flows are counted in agents; `weight` (1 / scale) turns them into full-scale equivalents.
  void record(int year, int month, const Parks& parks, const CellStats& cells,
              const StepFlows& flows, const City& city, double weight);

  std::size_t months() const { return year_.size(); }
  std::size_t parks() const { return parks_; }
  // Values per month: parks x sectors, parks, or parks x parks.
  std::size_t row_size(const SeriesInfo& info) const;
  const std::vector<int>& year() const { return year_; }
  const std::vector<int>& month() const { return month_; }
  // Row-major (month, ...); throws std::out_of_range for an unknown name.
  const std::vector<double>& values(const std::string& name) const { return values_.at(name); }
  const std::vector<double>& city_values(const std::string& name) const {
    return city_values_.at(name);
  }
  // Every recorded array by name ("year", "month", "park/<series>", "city/<series>") in a fixed
  // order, as visit(name, array): what checkpoints store. The arrays are const for a const book.
  template <class Visit>
  void visit_arrays(Visit&& visit) {
    visit_arrays_of(*this, visit);
  }
  template <class Visit>
  void visit_arrays(Visit&& visit) const {
    visit_arrays_of(*this, visit);
  }

 private:
  template <class Book, class Visit>
  static void visit_arrays_of(Book& book, Visit& visit) {
    visit(std::string("year"), book.year_);
    visit(std::string("month"), book.month_);
    for (const SeriesInfo& info : catalogue())
      visit("park/" + info.name, book.values_.at(info.name));
    for (const SeriesInfo& info : city_catalogue()) {
      visit("city/" + info.name, book.city_values_.at(info.name));
    }
  }

  std::size_t parks_;
  std::vector<int> year_, month_;
  std::map<std::string, std::vector<double>> values_;
  std::map<std::string, std::vector<double>> city_values_;
};

}  // namespace clustersim
