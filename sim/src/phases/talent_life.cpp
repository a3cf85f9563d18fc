#include <algorithm>
#include <cmath>
#include <limits>

#include "clustersim/core/random.hpp"
#include "clustersim/phases/phases.hpp"

namespace clustersim {

namespace {

// Where searchers from park `from` in sector s look when they look elsewhere: attraction
// (vacancies + 1) falling with distance, as a cumulative distribution over the other parks.
std::vector<double> destination_cdf(const Parks& parks, const CellStats& cells,
                                    const ModelParameters& p) {
  const std::size_t n = parks.size();
  std::vector<double> cdf(n * sector_count * n, 0.0);
  for (std::size_t from = 0; from < n; ++from) {
    for (int s = 0; s < 3; ++s) {
      double* row = &cdf[(from * sector_count + static_cast<std::size_t>(s)) * n];
      double total = 0.0;
      for (std::size_t to = 0; to < n; ++to) {
        if (to != from) {
          total += (cells.vacancies[cell_index(to, s)] + 1.0) *
                   std::exp(-parks.distance(from, to) / p.talent_distance_scale_km);
        }
        row[to] = total;
      }
      for (std::size_t to = 0; to < n; ++to) row[to] = total > 0 ? row[to] / total : 1.0;
    }
  }
  return cdf;
}

}  // namespace

void talent_life(TalentArrays& talent, const FirmArrays& firms, const Parks& parks,
                 const CellStats& cells, const StepContext& ctx, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_parks = parks.size();
  const std::vector<double> cdf = destination_cdf(parks, cells, p);
  // Per park: international talent communities keep people in Shanghai; cross-park
  // coordination widens the search.
  std::vector<double> leave_employed(n_parks), leave_seeking(n_parks), search_share(n_parks);
  for (std::size_t k = 0; k < n_parks; ++k) {
    const double stay =
        1.0 - p.international_leave_cut * ctx.policy.at(Lever::international_talent, k);
    leave_employed[k] = monthly_probability(p.talent_leave_rate * stay);
    leave_seeking[k] = monthly_probability(p.talent_seeker_leave_rate * stay);
    search_share[k] =
        p.talent_other_park_search_share *
        (1.0 + p.coordination_search_gain * ctx.policy.at(Lever::cross_park_coordination, k));
  }
  const double search = monthly_probability(p.talent_job_search_rate);
  const auto retirement_months =
      static_cast<std::int32_t>(std::lround(p.talent_retirement_age_years * months_per_year));

  const std::vector<double> zero(flows.talent_departures.size(), 0.0);
  const std::vector<double> departures = ctx.executor.reduce(
      talent.size(), zero,
      [&](std::vector<double>& part, std::size_t begin, std::size_t end) {
        // The block's largest spin-off rate bounds every member's, so most members skip the
        // exponential (the draw is compared with the bound first; decisions are unchanged).
        double max_skill = -std::numeric_limits<double>::infinity();
        for (std::size_t i = begin; i < end; ++i) max_skill = std::max(max_skill, talent.skill[i]);
        const double spinoff_bound =
            p.talent_spinoff_rate *
            std::exp(max_skill + p.talent_experience_skill_growth / months_per_year) * (1.0 + 1e-9);
        for (std::size_t i = begin; i < end; ++i) {
          if (!talent.alive[i]) continue;
          talent.intent[i] = static_cast<std::uint8_t>(TalentIntent::stay);
          talent.age_months[i] += 1;
          const auto home = static_cast<std::size_t>(talent.park[i]);
          const int sector = talent.sector[i];
          Stream stream(ctx.seed, static_cast<std::uint64_t>(talent.id[i]), ctx.step,
                        Purpose::talent_life);

          // An exited employer releases its staff; an over-staffed one lays some off.
          std::int32_t employer = talent.employer_index[i];
          if (employer >= 0 && !firms.alive[static_cast<std::size_t>(employer)]) employer = -1;
          const double u_layoff = stream.uniform01();
          if (employer >= 0) {
            const auto f = static_cast<std::size_t>(employer);
            if (firms.staffing_gap[f] < 0 && firms.employees[f] > 0) {
              const double excess = -static_cast<double>(firms.staffing_gap[f]) /
                                    static_cast<double>(firms.employees[f]);
              if (u_layoff < p.labour_layoff_rate * std::min(excess, 1.0)) employer = -1;
            }
          }
          if (employer < 0 && talent.employer_index[i] >= 0) {
            talent.employer[i] = -1;
            talent.employer_index[i] = -1;
            talent.wage_cny[i] = 0.0;
            talent.months_seeking[i] = 0;
          }
          const bool employed = talent.employer_index[i] >= 0;

          // Retirement and departure from Shanghai.
          const double u_leave = stream.uniform01();
          if (talent.age_months[i] >= retirement_months ||
              u_leave < (employed ? leave_employed[home] : leave_seeking[home])) {
            talent.alive[i] = 0;
            part[cell_index(home, sector)] += 1.0;
            continue;
          }

          const double u_act = stream.uniform01();
          const double u_where = stream.uniform01();
          if (employed) {
            talent.skill[i] += p.talent_experience_skill_growth / months_per_year;
            // Spin-off at the bottom of [0, 1), search at the top. The monthly probability never
            // exceeds the annual one, so the costly power is taken only when u_act is below it.
            if (u_act < spinoff_bound) {
              const double annual = p.talent_spinoff_rate * std::exp(talent.skill[i]);
              if (u_act < annual && u_act < monthly_probability(annual)) {
                talent.intent[i] = static_cast<std::uint8_t>(TalentIntent::found_firm);
                continue;
              }
            }
            if (u_act < 1.0 - search) continue;  // no search this month
          } else {
            talent.months_seeking[i] += 1;
          }

          // Search: at home, or (less so with age) in another park chosen by distance and jobs.
          talent.intent[i] = static_cast<std::uint8_t>(TalentIntent::search);
          talent.target_park[i] = talent.park[i];
          // The age factor is at most 1, so a draw above the park's share needs no exponential.
          if (n_parks < 2 || u_where >= search_share[home]) continue;
          const double age_years = talent.age_months[i] / months_per_year;
          const double elsewhere =
              search_share[home] *
              std::exp(-std::max(0.0, age_years - 25.0) / p.talent_other_park_age_scale_years);
          if (u_where < elsewhere) {
            // The fifth draw, taken only when needed: it costs a second Philox block.
            const double u_destination = stream.uniform01();
            const double* row =
                &cdf[(home * sector_count + static_cast<std::size_t>(sector)) * n_parks];
            const std::size_t to =
                static_cast<std::size_t>(std::upper_bound(row, row + n_parks, u_destination) - row);
            talent.target_park[i] = static_cast<std::int16_t>(std::min(to, n_parks - 1));
          }
        }
      },
      [](std::vector<double>& sum, const std::vector<double>& part) {
        for (std::size_t c = 0; c < sum.size(); ++c) sum[c] += part[c];
      });
  for (std::size_t c = 0; c < departures.size(); ++c) flows.talent_departures[c] += departures[c];
}

}  // namespace clustersim
