#pragma once
// What a checkpoint's contents may be, declared once per stored array, and the checksum over
// them: a restore checks both before the kernel touches the state, so a damaged or altered
// checkpoint is refused with the array, element and rule named instead of crashing or
// continuing a different run (docs/reliability.md, "Checkpoints"). Private to io/.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "clustersim/simulation.hpp"

namespace clustersim::checkpoint_rules {

// The values an array's elements may take: [min, max], or the one `none` value; NaN and
// minus infinity only where allowed.
struct ValueRule {
  double min = 0.0, max = 0.0;
  std::optional<double> none;
  bool nan_allowed = false;
  bool minus_infinity_allowed = false;
  std::string expected;  // in words, for the message

  bool accepts(double value) const;
};

struct ArrayRule {
  ValueRule values;
  std::size_t length = 0;
};

// The rule for every array that visit_state_arrays visits, by its name, given the state's
// scalars (step counter, id counters) and agent counts.
std::map<std::string, ArrayRule> state_rules(const RunState& state);

// Throws OutputError naming `path` and the first broken rule: an id counter, an array's
// length, an element's value, or a reference between agents (a deal's firm, an employee's
// employer). Also a programming error where an array has no rule.
void check_state(const RunState& state, const std::string& path);

// CRC-32 of everything a checkpoint stores of `state` (every array with its name and length,
// the city, the targets, the counters, the lever log) and the run's scale.
std::uint32_t state_checksum(const RunState& state, double scale);

}  // namespace clustersim::checkpoint_rules
