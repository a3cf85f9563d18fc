#pragma once
// Each lever's time profile and fiscal cost at intensity 1, with their sources: the defaults of
// policy.<lever>.effect_years, .half_life_years and .cost_cny_per_year (docs/levers.md).

#include <array>

#include "clustersim/scenario/levers.hpp"

namespace clustersim {

struct LeverDefaults {
  double effect_years;     // 0: the effect lasts as long as the lever acts
  double half_life_years;  // 0: the effect does not fade
  const char* profile_source;
  double cost_cny_per_year;  // at intensity 1, full scale: the prior's median
  double cost_low;           // the prior's 5-95 % interval (a lognormal)
  double cost_high;
  const char* cost_source;
};

// In the order of the lever catalogue (CLUSTERSIM_LEVERS).
const std::array<LeverDefaults, lever_count>& lever_defaults();

}  // namespace clustersim
