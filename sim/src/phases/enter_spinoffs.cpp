#include "clustersim/phases/enter_spinoffs.hpp"

#include <cmath>

#include "clustersim/model/rules.hpp"
#include "clustersim/phases/enter_firms.hpp"

namespace clustersim {

void enter_spinoffs(TalentArrays& talent, FirmArrays& firms, const CellStats& cells,
                    const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows) {
  auto found_spinoff = [&](std::size_t t) {
    const std::size_t i =
        append_new_firm(firms, next_firm_id++, talent.park[t], talent.sector[t], cells, ctx);
    // The founder is the first employee; the rest of the staff is hired on the market.
    firms.staffing_gap[i] = firms.employees[i] - 1;
    firms.employees[i] = 1;
    talent.employer[t] = firms.id[i];
    talent.employer_index[t] = static_cast<std::int32_t>(i);
    talent.wage_cny[t] = wage_offer(firms.productivity[i], ctx.params) *
                         std::exp(ctx.params.talent_wage_skill_premium * talent.skill[t]);
    talent.months_seeking[t] = 0;
    const std::size_t c = cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
    flows.spinoffs[c] += 1.0;
    flows.entries[c] += 1.0;
  };
  // Founders are found by blocks in parallel, then found their firms in talent order, so ids
  // do not depend on the thread count.
  std::vector<std::vector<std::uint32_t>> block_founders(Executor::block_count(talent.size()));
  ctx.executor.for_blocks(talent.size(), [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t t = begin; t < end; ++t) {
      if (talent.alive[t] &&
          talent.intent[t] == static_cast<std::uint8_t>(TalentIntent::found_firm)) {
        block_founders[b].push_back(static_cast<std::uint32_t>(t));
      }
    }
  });
  for (const std::vector<std::uint32_t>& founders : block_founders) {
    for (const std::uint32_t t : founders) {
      found_spinoff(t);
    }
  }
}

}  // namespace clustersim
