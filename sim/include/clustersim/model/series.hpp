#pragma once
// Monthly series: per park x sector, per park or per pair of parks, recorded after every step,
// kept in memory (about 1 MB per run) and written whole at the end.

#include <map>
#include <string>
#include <vector>

#include "clustersim/agents/parks.hpp"

namespace clustersim {

struct StepFlows;

enum class SeriesShape {
  cell,        // (park, sector)
  park,        // (park)
  park_pair,   // (origin park, destination park)
  park_round,  // (park, financing round: seed, A, B, C, later)
  cell_stage,  // (park, sector, stage)
};

struct SeriesInfo {
  std::string name;
  std::string unit;
  SeriesShape shape;
  std::string description;
};

class SeriesBook {
 public:
  // The series every run records, in output order.
  static const std::vector<SeriesInfo>& catalogue();
  static const SeriesInfo& info(const std::string& name);

  explicit SeriesBook(std::size_t parks = 0);

  // Flows are counted in agents; `weight` (1 / scale) turns them into full-scale equivalents.
  void record(int year, int month, const Parks& parks, const CellStats& cells,
              const StepFlows& flows, double weight);

  std::size_t months() const { return year_.size(); }
  std::size_t parks() const { return parks_; }
  // Values per month: parks x sectors, parks, or parks x parks.
  std::size_t row_size(const SeriesInfo& info) const;
  const std::vector<int>& year() const { return year_; }
  const std::vector<int>& month() const { return month_; }
  // Row-major (month, ...); throws std::out_of_range for an unknown name.
  const std::vector<double>& values(const std::string& name) const { return values_.at(name); }

 private:
  std::size_t parks_;
  std::vector<int> year_, month_;
  std::map<std::string, std::vector<double>> values_;
};

}  // namespace clustersim
