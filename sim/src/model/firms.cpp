#include "clustersim/agents/firms.hpp"

#include <vector>

namespace clustersim {

void FirmArrays::compact() {
  // Copy the mask first: compacting `alive` itself would move it under our feet.
  const std::vector<std::uint8_t> keep(alive.begin(), alive.end());
  visit_columns([&keep](const char*, auto& column, const char*) { column.compact(keep); });
}

}  // namespace clustersim
