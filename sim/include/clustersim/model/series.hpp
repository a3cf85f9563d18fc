#pragma once
// Monthly series: per park x sector, per park or per pair of parks, recorded after every step,
// kept in memory (about 1 MB per run) and written whole at the end.

#include <map>
#include <string>
#include <vector>

#include "clustersim/agents/parks.hpp"
#include "clustersim/model/city.hpp"

namespace clustersim {

struct StepFlows;

enum class SeriesShape {
  cell,        // (park, sector)
  park,        // (park)
  park_pair,   // (origin park, destination park)
  park_round,  // (park, financing round: seed, A, B, C, later)
  cell_stage,  // (park, sector, stage)
  leading,     // city level: (leading industry)
  total,       // city level: one value
};

struct SeriesInfo {
  std::string name;
  std::string unit;
  SeriesShape shape;
  std::string description;
  bool summable = true;  // false: a park code or score, with no zone total
};

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
  // Restoring a checkpoint: every recorded month back in place.
  std::vector<int>& mutable_year() { return year_; }
  std::vector<int>& mutable_month() { return month_; }
  std::vector<double>& mutable_values(const std::string& name) { return values_.at(name); }
  std::vector<double>& mutable_city_values(const std::string& name) {
    return city_values_.at(name);
  }

 private:
  std::size_t parks_;
  std::vector<int> year_, month_;
  std::map<std::string, std::vector<double>> values_;
  std::map<std::string, std::vector<double>> city_values_;
};

}  // namespace clustersim
