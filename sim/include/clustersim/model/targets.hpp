#pragma once
// The ten targets of docs/policy.md as indicators computed each December from the year's series:
// value, threshold and whether it is met (docs/model.md, "Targets").

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include "clustersim/agents/parks.hpp"
#include "clustersim/model/series.hpp"
#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

inline constexpr std::size_t target_count = 10;

struct TargetInfo {
  std::string_view id;  // the ids of docs/policy.md
  std::string_view unit;
  std::string_view description;
  bool strictly_above;  // "more than" (else "at least")
  // The smallest scale (1, 0.1 or 0.01) at which a sample gives the full zone's verdict:
  // P(met by 2025 and 2030) agrees (docs/model.md 3.4.7; tests/python/test_scale.py).
  double faithful_scale;
};
const std::array<TargetInfo, target_count>& target_catalogue();
double target_threshold(std::size_t target, const ModelParameters& params);
bool target_met(std::size_t target, double value, const ModelParameters& params);

class TargetBook {
 public:
  // Computes the year's indicators from the series recorded so far (its last month is December
  // of `year`) and the parks' named industries.
  void record(int year, const SeriesBook& series, const Parks& parks,
              const ModelParameters& params);

  const std::vector<int>& years() const { return years_; }
  // Row-major (year, target).
  const std::vector<double>& values() const { return values_; }
  const std::vector<std::uint8_t>& met() const { return met_; }
  // Restoring a checkpoint.
  void restore(std::vector<int> years, std::vector<double> values, std::vector<std::uint8_t> met) {
    years_ = std::move(years);
    values_ = std::move(values);
    met_ = std::move(met);
  }

 private:
  std::vector<int> years_;
  std::vector<double> values_;
  std::vector<std::uint8_t> met_;
};

}  // namespace clustersim
