#pragma once
// Monthly series: per park x sector (or per park) values recorded after every step, kept in
// memory (a few hundred kB per run) and written whole at the end.

#include <map>
#include <string>
#include <vector>

#include "clustersim/agents/parks.hpp"

namespace clustersim {

struct SeriesInfo {
  std::string name;
  std::string unit;
  bool per_sector;  // park x sector; otherwise per park
  std::string description;
};

class SeriesBook {
 public:
  // The series every run records, in output order.
  static const std::vector<SeriesInfo>& catalogue();

  explicit SeriesBook(std::size_t parks = 0);

  // entries/exits are per cell, in full-scale equivalents.
  void record(int year, int month, const Parks& parks, const CellStats& cells,
              const std::vector<double>& entries, const std::vector<double>& exits);

  std::size_t months() const { return year_.size(); }
  std::size_t parks() const { return parks_; }
  const std::vector<int>& year() const { return year_; }
  const std::vector<int>& month() const { return month_; }
  // Row-major (month, park[, sector]); throws std::out_of_range for an unknown name.
  const std::vector<double>& values(const std::string& name) const { return values_.at(name); }

 private:
  std::size_t parks_;
  std::vector<int> year_, month_;
  std::map<std::string, std::vector<double>> values_;
};

}  // namespace clustersim
