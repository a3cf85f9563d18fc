#pragma once
// Shared test fixtures: small scenarios and bitwise comparison of agent arrays.

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "clustersim/scenario/scenario.hpp"
#include "clustersim/simulation.hpp"

namespace clustersim::test_support {

// 1/50 of the zone (1,400 firm agents) over three years: enough for every mechanism to act.
inline Scenario small_scenario(double scale = 0.02, std::int64_t horizon = 2024) {
  Scenario scenario;
  scenario.set("scale", scale);
  scenario.set("horizon_year", horizon);
  return scenario;
}

// True when every column of both populations (firms or talent) holds the same bytes.
template <class Agents>
::testing::AssertionResult same_bits(const Agents& a, const Agents& b) {
  if (a.size() != b.size()) {
    return ::testing::AssertionFailure() << "sizes differ: " << a.size() << " vs " << b.size();
  }
  std::string differing;
  Agents& mutable_b = const_cast<Agents&>(b);
  a.visit_columns([&](const char* name, const auto& column, const char*) {
    mutable_b.visit_columns([&](const char* other_name, const auto& other, const char*) {
      if (std::string(name) != other_name) return;
      using T = typename std::decay_t<decltype(column)>::value_type;
      if (column.size() > 0 &&
          std::memcmp(column.data(), other.data(), column.size() * sizeof(T)) != 0) {
        differing += std::string(name) + " ";
      }
    });
  });
  if (!differing.empty()) return ::testing::AssertionFailure() << "columns differ: " << differing;
  return ::testing::AssertionSuccess();
}

}  // namespace clustersim::test_support
