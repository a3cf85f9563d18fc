#pragma once
// The levers' levels during a step, as the phases read them (the levers themselves and their
// schedules are declared in scenario/levers.hpp).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "clustersim/scenario/levers.hpp"

namespace clustersim {

// The levers' levels during one step and the parks they reach. A park whose plaque was removed
// is outside the zone and gets no lever's benefits.
struct PolicyState {
  std::array<double, lever_count> level{};
  const std::vector<std::uint8_t>* in_zone = nullptr;  // per park; null: every park
  const std::vector<std::int8_t>* standing = nullptr;  // per park (Standing); null: all normal
  const std::vector<double>* effort = nullptr;         // per park (Parks::effort); null: none

  double at(Lever lever) const { return level[static_cast<std::size_t>(lever)]; }
  // The lever's level in a park: 0 outside the zone; in a park whose administration makes an
  // extra effort (section 3.4.3), its own programmes add effort x the evaluation lever's level.
  double at(Lever lever, std::size_t park) const {
    if (in_zone != nullptr && !(*in_zone)[park]) return 0.0;
    if (effort == nullptr || !park_run(lever)) return at(lever);
    return at(lever) + (*effort)[park] * at(Lever::evaluation);
  }
  // The programmes a park administration runs itself: land supply, standard factories, industry
  // upstairs and incubator upgrades.
  static constexpr bool park_run(Lever lever) {
    return lever == Lever::land_supply || lever == Lever::standard_factories ||
           lever == Lever::industry_upstairs || lever == Lever::incubator_upgrades;
  }
  // The evaluation lever's level at a park that holds priority, else 0.
  double priority(std::size_t park) const;
  // Every lever off: what phases see when no policy is given (unit tests, the counterfactual).
  static const PolicyState& neutral() {
    static const PolicyState state{};
    return state;
  }
};

// Park standing after the annual evaluation.
enum class Standing : std::int8_t { removed = -2, notified = -1, normal = 0, priority = 1 };

inline double PolicyState::priority(std::size_t park) const {
  return standing != nullptr && (*standing)[park] == static_cast<std::int8_t>(Standing::priority)
             ? at(Lever::evaluation, park)
             : 0.0;
}

}  // namespace clustersim
