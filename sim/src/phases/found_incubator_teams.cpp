#include "clustersim/phases/found_incubator_teams.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"
#include "clustersim/phases/enter_firms.hpp"
#include "incubation.hpp"

namespace clustersim {

void found_incubator_teams(IncubatorArrays& incubators, FirmArrays& firms, const CellStats& cells,
                           const StepContext& ctx, std::int64_t& next_firm_id, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    const std::int32_t room = incubators.capacity[k] - incubators.occupants[k];
    const auto park = static_cast<std::size_t>(incubators.park[k]);
    // Proof-of-concept centres feed more teams.
    const double monthly =
        p.incubators_university_teams_per_year *
        (1.0 + p.proof_of_concept_team_gain * ctx.policy.at(Lever::proof_of_concept, park)) /
        months_per_year;
    if (room <= 0 || monthly <= 0.0) continue;
    Stream stream(ctx.seed, static_cast<std::uint64_t>(incubators.id[k]), ctx.step,
                  Purpose::incubator_teams);
    boost::random::poisson_distribution<std::int32_t, double> teams(monthly);
    const std::int32_t founded = std::min(teams(stream), room);
    for (std::int32_t n = 0; n < founded; ++n) {
      const std::size_t i = append_new_firm(firms, next_firm_id++, incubators.park[k],
                                            incubators.sector[k], cells, ctx);
      // Advance incubation: frontier-technology teams start more productive.
      const double advance =
          p.advance_incubation_productivity * ctx.policy.at(Lever::advance_incubation, park);
      if (advance > 0.0) firms.productivity[i] *= std::exp(advance);
      admit(incubators, firms, i, static_cast<std::int32_t>(k));
      const std::size_t c = cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
      flows.entries[c] += 1.0;
      flows.incubator_admissions[c] += 1.0;
    }
  }
}

}  // namespace clustersim
