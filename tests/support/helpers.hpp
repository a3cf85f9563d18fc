#pragma once
// Shared test helpers: small scenarios and runs, bitwise comparison of agent arrays, and the
// message of a failed audit. (Hand-made states for unit tests: fixtures.hpp.)

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <string>

#include "clustersim/errors.hpp"
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

// A run a year in (compacted: every row alive): firms have exited, entered, moved; talent has
// been hired and laid off. Built once, on first use.
inline const Simulation& year_old_run() {
  static const Simulation* sim = [] {
    auto* s = new Simulation(small_scenario(0.02, 2024), 3, 2);
    s->run_until(2022);
    return s;
  }();
  return *sim;
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

// The message of the InvariantError that `check` throws, or "" if it throws none.
inline std::string message_of(const std::function<void()>& check) {
  try {
    check();
  } catch (const InvariantError& e) {
    return e.what();
  }
  return "";
}

}  // namespace clustersim::test_support
