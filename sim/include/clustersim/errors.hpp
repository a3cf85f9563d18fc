#pragma once
// Typed errors. Each carries what a user needs to fix the input: the key, the value, what was
// expected (the file is added by whoever knows it).

#include <stdexcept>
#include <string>

namespace clustersim {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ScenarioError : public Error {
 public:
  ScenarioError(std::string key, std::string value, std::string expected)
      : Error("key '" + key + "': value " + value + " is invalid; expected " + expected),
        key_(std::move(key)),
        value_(std::move(value)),
        expected_(std::move(expected)) {}
  const std::string& key() const { return key_; }
  const std::string& value() const { return value_; }
  const std::string& expected() const { return expected_; }

 private:
  std::string key_, value_, expected_;
};

// Base-year data files (data/*.csv): file, line and column named in the message.
class DataError : public Error {
 public:
  using Error::Error;
};

// Results files: cannot create, write or read.
class OutputError : public Error {
 public:
  using Error::Error;
};

// A model invariant broke (negative stock, NaN); names the agent, phase and step.
class InvariantError : public Error {
 public:
  using Error::Error;
};

}  // namespace clustersim
