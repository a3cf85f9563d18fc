#include "clustersim/phases/compact_agents.hpp"

#include <functional>
#include <vector>

namespace clustersim {

namespace {

// The stable compaction of every column of `arrays` by `keep`, one task per column: columns
// are separate buffers, so they compact independently, each in its own order.
template <class Arrays>
void add_compaction_tasks(Arrays& arrays, const std::vector<std::uint8_t>& keep,
                          std::vector<std::function<void()>>& tasks) {
  arrays.visit_columns([&](const char*, auto& column, const char*) {
    tasks.emplace_back([&column, &keep] { column.compact(keep); });
  });
}

std::vector<std::int32_t> new_indices(const std::vector<std::uint8_t>& keep) {
  std::vector<std::int32_t> new_index(keep.size(), -1);
  std::int32_t next = 0;
  for (std::size_t i = 0; i < keep.size(); ++i) {
    if (keep[i]) new_index[i] = next++;
  }
  return new_index;
}

}  // namespace

void compact_agents(FirmArrays& firms, TalentArrays& talent, DealArrays& deals,
                    const Executor& executor) {
  // Copies of the masks: compacting `alive` itself would move it under our feet.
  const std::vector<std::uint8_t> keep_firm(firms.alive.begin(), firms.alive.end());
  const std::vector<std::uint8_t> keep_talent(talent.alive.begin(), talent.alive.end());
  std::vector<std::function<void()>> tasks;
  add_compaction_tasks(firms, keep_firm, tasks);
  add_compaction_tasks(talent, keep_talent, tasks);
  executor.for_tasks(
      tasks.size(), [&](std::size_t k) { tasks[k](); }, firms.size() + talent.size());
  const std::vector<std::int32_t> new_index = new_indices(keep_firm);
  executor.for_each(talent.size(), [&](std::size_t t) {
    const std::int32_t old = talent.employer_index[t];
    if (old >= 0) talent.employer_index[t] = new_index[static_cast<std::size_t>(old)];
  });
  for (std::size_t d = 0; d < deals.size(); ++d) {
    const std::int32_t old = deals.firm_index[d];
    if (old >= 0) deals.firm_index[d] = new_index[static_cast<std::size_t>(old)];
  }
}

}  // namespace clustersim
