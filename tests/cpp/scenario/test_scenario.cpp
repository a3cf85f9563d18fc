#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>

#include "clustersim/errors.hpp"
#include "clustersim/scenario/scenario.hpp"

using namespace clustersim;

TEST(Parameters, EveryDeclarationIsCompleteAndUnique) {
  std::set<std::string> keys;
  for (const ParamSpec& spec : parameter_specs()) {
    EXPECT_TRUE(keys.insert(spec.key).second) << "duplicate " << spec.key;
    EXPECT_FALSE(spec.description.empty()) << spec.key;
    EXPECT_FALSE(spec.source.empty()) << spec.key;
    EXPECT_TRUE(spec.apply) << spec.key;
    // Each default passes its own validation.
    Scenario scenario;
    EXPECT_NO_THROW(scenario.set(spec.key, spec.default_value)) << spec.key;
  }
  EXPECT_NO_THROW(Scenario().parameters());
}

TEST(Scenario, DefaultsFillEveryField) {
  const ModelParameters p = Scenario().parameters();
  EXPECT_EQ(p.scale, 1.0);
  EXPECT_EQ(p.horizon_year, 2035);
  EXPECT_EQ(p.firms_total, 70000);
  EXPECT_EQ(p.exit_base_hazard, 0.061);
  EXPECT_EQ(p.exit_hazard_by_age.size(), 9u);
  EXPECT_TRUE(p.firm_snapshots);
}

TEST(Scenario, SetValuesReachTheKernel) {
  Scenario scenario;
  scenario.set("scale", 0.25);
  scenario.set("firms.exit.base_hazard", std::int64_t{0});  // an integer where a real is expected
  scenario.set("firms.exit.hazard_by_age", std::vector<double>{0.1, 0.2});
  scenario.set("output.firm_snapshots", false);
  const ModelParameters p = scenario.parameters();
  EXPECT_EQ(p.scale, 0.25);
  EXPECT_EQ(p.exit_base_hazard, 0.0);
  EXPECT_EQ(p.exit_hazard_by_age, (std::vector<double>{0.1, 0.2}));
  EXPECT_FALSE(p.firm_snapshots);
  EXPECT_TRUE(scenario.unset("scale"));
  EXPECT_EQ(scenario.parameters().scale, 1.0);
}

void expect_refused(const std::string& key, const ParamValue& value, const std::string& fragment) {
  Scenario scenario;
  try {
    scenario.set(key, value);
    FAIL() << key << " accepted " << format_value(value);
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.key(), key);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(Scenario, RefusesBadValuesNamingKeyValueAndExpectation) {
  expect_refused("no.such.key", 1.0, "unknown key");
  expect_refused("scale", std::string("big"), "expected a number in [1e-05, 1]");
  expect_refused("scale", 2.0, "value 2 is invalid");
  expect_refused("scale", 0.0, "[1e-05, 1]");
  expect_refused("scale", std::numeric_limits<double>::quiet_NaN(), "nan");
  expect_refused("scale", std::numeric_limits<double>::infinity(), "inf");
  expect_refused("horizon_year", 2030.5, "expected an integer");
  expect_refused("horizon_year", std::int64_t{1999}, "[2022, 2100]");
  expect_refused("output.firm_snapshots", std::int64_t{1}, "expected a boolean");
  expect_refused("firms.exit.hazard_by_age", std::vector<double>{}, "at least 1");
  expect_refused("firms.exit.hazard_by_age", std::vector<double>{0.1, 1.5}, "each in [0, 1]");
  expect_refused("population.firms_total", std::int64_t{-5}, "[1, 10000000]");
}

TEST(Scenario, CrossFieldChecksNameTheKey) {
  Scenario scenario;
  scenario.set("firms.growth.volatility_min", 0.5);
  scenario.set("firms.growth.volatility_max", 0.1);
  try {
    scenario.parameters();
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.key(), "firms.growth.volatility_max");
  }
  Scenario tiny;
  tiny.set("scale", 1e-5);
  EXPECT_THROW(tiny.parameters(), ScenarioError);
}
