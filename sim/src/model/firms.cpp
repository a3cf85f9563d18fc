#include "clustersim/agents/firms.hpp"

#include <vector>

#include "clustersim/agents/talent.hpp"

namespace clustersim {

std::vector<std::int32_t> FirmArrays::compact() {
  // Copy the mask first: compacting `alive` itself would move it under our feet.
  const std::vector<std::uint8_t> keep(alive.begin(), alive.end());
  std::vector<std::int32_t> new_index(keep.size(), -1);
  std::int32_t next = 0;
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (keep[i]) new_index[i] = next++;
  }
  visit_columns([&keep](const char*, auto& column, const char*) { column.compact(keep); });
  return new_index;
}

void TalentArrays::compact() {
  const std::vector<std::uint8_t> keep(alive.begin(), alive.end());
  visit_columns([&keep](const char*, auto& column, const char*) { column.compact(keep); });
}

}  // namespace clustersim
