#include "clustersim/phases/innovate.hpp"

#include <algorithm>
#include <array>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <map>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void innovate(FirmArrays& firms, const Parks& parks, const CellStats& cells, const StepContext& ctx,
              StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const double dt = 1.0 / months_per_year;
  struct Partial {
    std::vector<double> innovations, patents, pct;
  };
  const std::size_t n_cells = flows.patents.size();
  const Partial zero{std::vector<double>(n_cells), std::vector<double>(n_cells),
                     std::vector<double>(n_cells)};
  // Levers per cell: IP protection (R&D intensity), choke-point competitions (innovation rate of
  // IC and AI), open-innovation centres (catch-up with the chain leader); factors are exactly 1
  // when the levers are off.
  std::vector<double> intensity_of(n_cells), rate_factor(n_cells, 1.0), chain_factor(n_cells);
  std::vector<double> consortia_factor(n_cells / sector_count);
  // Knowledge spillovers: patents per CNY of R&D scale with the park's employment density at
  // the end of the previous step (the cells hold full-scale equivalents: any scale, one density).
  std::vector<double> spillover_factor(n_cells / sector_count, 1.0);
  for (std::size_t park = 0; park < spillover_factor.size(); ++park) {
    double employees = 0.0;
    for (int s = 0; s < sector_count; ++s) employees += cells.employees[cell_index(park, s)];
    const double density = employees / parks.area_km2[park];
    spillover_factor[park] =
        std::pow(density / p.rd_reference_density_per_km2, p.rd_density_elasticity);
  }
  for (std::size_t c = 0; c < n_cells; ++c) {
    const std::size_t park = c / sector_count;
    const int sector = static_cast<int>(c % sector_count);
    intensity_of[c] = rd_intensity(sector, park, p, ctx.policy);
    if (sector == static_cast<int>(Sector::ic) || sector == static_cast<int>(Sector::ai)) {
      rate_factor[c] =
          1.0 + p.choke_point_innovation_gain * ctx.policy.at(Lever::choke_point, park);
    }
    chain_factor[c] =
        1.0 + p.open_innovation_spillover_gain * ctx.policy.at(Lever::open_innovation, park);
    consortia_factor[park] =
        1.0 + p.consortia_innovation_gain * ctx.policy.at(Lever::consortia, park);
  }
  // Counts only (innovations, patents), so finer ranges than blocks change no total.
  const Partial total = ctx.executor.reduce_counts(
      firms.size(), zero,
      [&](Partial& part, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
          if (!firms.alive[i]) continue;
          const std::size_t c =
              cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]);
          const double intensity = intensity_of[c];
          const double rd_month = intensity * firms.revenue_cny[i] * dt;
          Stream stream(ctx.seed, static_cast<std::uint64_t>(firms.id[i]), ctx.step,
                        Purpose::innovation);
          double log_productivity = std::log(firms.productivity[i]);
          // Innovation: a jump with probability 1 - exp(-rate x intensity x dt), the same for
          // firms of any size that spend the same share (no runaway of the largest).
          const bool leads = firms.stage[i] == static_cast<std::uint8_t>(Stage::large) ||
                             firms.stage[i] == static_cast<std::uint8_t>(Stage::chain_leader);
          const double rate = p.rd_innovation_rate * rate_factor[c] *
                              (leads ? consortia_factor[firms.park[i]] : 1.0);
          // 1 - exp(-x) never exceeds x: draws above x (with a margin for rounding) skip the
          // exponential.
          const double hazard = rate * intensity * dt;
          const double u_innovation = stream.uniform01();
          if (u_innovation < hazard * (1.0 + 1e-9) &&
              u_innovation < 1.0 - std::exp(-rate * intensity * dt)) {
            boost::random::exponential_distribution<double> jump(1.0 / p.rd_innovation_step);
            log_productivity += jump(stream);
            part.innovations[c] += 1.0;
          }
          // Supplier upgrading toward the chain leader of the park and industry.
          const double leader = cells.chain_leader_log_productivity[c];
          if (firms.stage[i] != static_cast<std::uint8_t>(Stage::chain_leader) &&
              leader > log_productivity) {
            log_productivity +=
                p.rd_chain_spillover * chain_factor[c] * dt * (leader - log_productivity);
          }
          firms.productivity[i] = std::exp(log_productivity);
          // Patent applications, some of them under the PCT.
          const double expected =
              rd_month / p.rd_cost_per_patent_cny * spillover_factor[firms.park[i]];
          auto draw = [&stream](double mean) {
            if (mean <= 0.0) return 0.0;
            boost::random::poisson_distribution<std::int64_t, double> count(mean);
            return static_cast<double>(count(stream));
          };
          const double pct = draw(expected * p.rd_pct_share);
          const double other = draw(expected * (1.0 - p.rd_pct_share));
          part.pct[c] += pct;
          part.patents[c] += pct + other;
        }
      },
      [](Partial& sum, const Partial& part) {
        for (std::size_t c = 0; c < sum.patents.size(); ++c) {
          sum.innovations[c] += part.innovations[c];
          sum.patents[c] += part.patents[c];
          sum.pct[c] += part.pct[c];
        }
      });
  for (std::size_t c = 0; c < n_cells; ++c) {
    flows.innovations[c] += total.innovations[c];
    flows.patents[c] += total.patents[c];
    flows.pct_applications[c] += total.pct[c];
  }
}

}  // namespace clustersim
