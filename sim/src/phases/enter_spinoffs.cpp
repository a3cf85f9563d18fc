#include <cmath>

#include "clustersim/phases/phases.hpp"

namespace clustersim {

void enter_spinoffs(TalentArrays& talent, FirmArrays& firms, const CellStats& cells,
                    const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows) {
  // In talent order, so ids do not depend on the thread count.
  for (std::size_t t = 0; t < talent.size(); ++t) {
    if (!talent.alive[t] ||
        talent.intent[t] != static_cast<std::uint8_t>(TalentIntent::found_firm)) {
      continue;
    }
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
  }
}

}  // namespace clustersim
