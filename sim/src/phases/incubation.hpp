#pragma once
// Private to the incubator phases: a firm admitted by an incubator.

#include <cstdint>

#include "clustersim/agents/firms.hpp"
#include "clustersim/agents/incubators.hpp"

namespace clustersim {

inline void admit(IncubatorArrays& incubators, FirmArrays& firms, std::size_t i, std::int32_t k) {
  firms.incubator[i] = k;
  firms.incubated_months[i] = 0;
  incubators.occupants[static_cast<std::size_t>(k)] += 1;
  incubators.admissions_year[static_cast<std::size_t>(k)] += 1;
}

}  // namespace clustersim
