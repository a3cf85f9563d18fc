#pragma once
// Scenario: the description of a run as data (parameter values), validated on every assignment.
// It knows nothing of execution or files.

#include <map>
#include <string>

#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

class Scenario {
 public:
  // Validates and stores; throws ScenarioError naming the key, the value and what was expected.
  // Integers are accepted for real parameters; nothing else is converted.
  void set(const std::string& key, const ParamValue& value);
  // The value set, or the declared default.
  const ParamValue& get(const std::string& key) const;
  bool is_set(const std::string& key) const { return values_.count(key) > 0; }
  // Back to the default; returns whether a value had been set.
  bool unset(const std::string& key) { return values_.erase(key) > 0; }
  const std::map<std::string, ParamValue>& values() const { return values_; }

  // Typed parameters for the kernel, after the checks that involve several keys.
  ModelParameters parameters() const;

 private:
  std::map<std::string, ParamValue> values_;
};

}  // namespace clustersim
