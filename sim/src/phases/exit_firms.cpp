#include "clustersim/phases/exit_firms.hpp"

#include <algorithm>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {
// Annual hazard by completed years of age.
double hazard_by_age(std::int32_t age_months, const ModelParameters& p) {
  const auto year = static_cast<std::size_t>(age_months / 12);
  return year < p.exit_hazard_by_age.size() ? p.exit_hazard_by_age[year] : p.exit_base_hazard;
}

// Annual hazard: by age, falling with size above the reference revenue.
double annual_hazard(double by_age, double revenue_cny, const ModelParameters& p) {
  const double size_factor =
      revenue_cny > p.exit_ref_revenue_cny
          ? std::pow(p.exit_ref_revenue_cny / revenue_cny, p.exit_size_exponent)
          : 1.0;
  return std::min(by_age * size_factor, 1.0);
}
}  // namespace

void exit_firms(FirmArrays& firms, const IncubatorArrays& incubators, const StepContext& ctx,
                std::vector<double>& exits_per_cell) {
  const ModelParameters& p = ctx.params;
  const std::vector<double> zero(exits_per_cell.size(), 0.0);
  // Counts only, so finer ranges than blocks change no total.
  const std::vector<double> exits = ctx.executor.reduce_counts(
      firms.size(), zero,
      [&](std::vector<double>& part, std::size_t begin, std::size_t end) {
        BatchedStreams streams(ctx.seed, firms.id.data(), end, ctx.step, Purpose::exit);
        for (std::size_t i = begin; i < end; ++i) {
          if (!firms.alive[i]) continue;
          // Insolvent: cash below the credit IP pledge loans open on R&D spending (0 without
          // the lever).
          const auto park = static_cast<std::size_t>(firms.park[i]);
          const double credit = p.ip_pledge_ratio * ctx.policy.at(Lever::ip_pledge_loans, park) *
                                rd_intensity(firms.sector[i], park, p, ctx.policy) *
                                firms.revenue_cny[i];
          bool leaves = firms.cash_cny[i] < -credit;
          if (!leaves) {
            Stream stream = streams.at(i);
            const double u_exit = stream.uniform01();
            // The size and incubation factors never exceed 1, so a draw at or above the
            // hazard by age decides "stays" without their power and exponential.
            const double by_age = hazard_by_age(firms.age_months[i], p);
            if (u_exit < std::min(by_age, 1.0)) {
              double yearly = annual_hazard(by_age, firms.revenue_cny[i], p);
              if (firms.incubator[i] >= 0) {  // incubation raises survival, more so in good ones
                // Never above 1: a poor incubator helps less, it does not harm.
                yearly *= std::min(
                    1.0,
                    p.incubators_hazard_factor *
                        std::exp(
                            -incubators.quality[static_cast<std::size_t>(firms.incubator[i])]));
              }
              leaves = happens_this_month(u_exit, yearly);
            }
          }
          if (leaves) {
            firms.alive[i] = 0;
            part[cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i])] += 1.0;
          }
        }
      },
      [](std::vector<double>& sum, const std::vector<double>& part) {
        for (std::size_t c = 0; c < sum.size(); ++c) sum[c] += part[c];
      });
  for (std::size_t c = 0; c < exits.size(); ++c) exits_per_cell[c] += exits[c];
}

}  // namespace clustersim
