#include "clustersim/agents/firms.hpp"

#include <vector>

#include "clustersim/agents/funds.hpp"
#include "clustersim/agents/talent.hpp"
#include "clustersim/phases/phases.hpp"

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

void compact_agents(FirmArrays& firms, TalentArrays& talent, DealArrays& deals) {
  const std::vector<std::int32_t> new_index = firms.compact();
  talent.compact();
  for (std::size_t t = 0; t < talent.size(); ++t) {
    const std::int32_t old = talent.employer_index[t];
    if (old >= 0) talent.employer_index[t] = new_index[static_cast<std::size_t>(old)];
  }
  for (std::size_t d = 0; d < deals.size(); ++d) {
    const std::int32_t old = deals.firm_index[d];
    if (old >= 0) deals.firm_index[d] = new_index[static_cast<std::size_t>(old)];
  }
}

}  // namespace clustersim
