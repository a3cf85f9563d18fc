#include "clustersim/phases/talent_life.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

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

// Per park: international talent communities keep people in Shanghai; cross-park
// coordination widens the search.
struct ParkRates {
  std::vector<double> leave_employed, leave_seeking, search_share;
};
ParkRates park_rates(std::size_t n_parks, const StepContext& ctx) {
  const ModelParameters& p = ctx.params;
  ParkRates rates{std::vector<double>(n_parks), std::vector<double>(n_parks),
                  std::vector<double>(n_parks)};
  for (std::size_t k = 0; k < n_parks; ++k) {
    const double stay =
        1.0 - p.international_leave_cut * ctx.policy.at(Lever::international_talent, k);
    rates.leave_employed[k] = monthly_probability(p.talent_leave_rate * stay);
    rates.leave_seeking[k] = monthly_probability(p.talent_seeker_leave_rate * stay);
    rates.search_share[k] =
        p.talent_other_park_search_share *
        (1.0 + p.coordination_search_gain * ctx.policy.at(Lever::cross_park_coordination, k));
  }
  return rates;
}

// Per firm, the chance that an employee is laid off this month, or -1 where the firm has
// exited (it releases everyone): one look-up per employee instead of three scattered ones.
// A firm that is not over-staffed has no excess, and no draw is below 0.
std::vector<double> layoff_chances(const FirmArrays& firms, const StepContext& ctx) {
  std::vector<double> chances(firms.size());
  ctx.executor.for_each(firms.size(), [&](std::size_t f) {
    const std::int32_t gap = firms.staffing_gap[f], staff = firms.employees[f];
    double layoff = 0.0;
    if (gap < 0 && staff > 0) {
      const double excess = -static_cast<double>(gap) / static_cast<double>(staff);
      layoff = ctx.params.labour_layoff_rate * std::min(excess, 1.0);
    }
    chances[f] = firms.alive[f] ? layoff : -1.0;
  });
  return chances;
}

}  // namespace

void talent_life(TalentArrays& talent, const FirmArrays& firms, const Parks& parks,
                 const CellStats& cells, const StepContext& ctx, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_parks = parks.size();
  const std::vector<double> cdf = destination_cdf(parks, cells, p);
  const ParkRates rates = park_rates(n_parks, ctx);
  const double search = monthly_probability(p.talent_job_search_rate);
  const auto retirement_months =
      static_cast<std::int32_t>(std::lround(p.talent_retirement_age_years * months_per_year));

  const std::vector<double> zero(flows.talent_departures.size(), 0.0);
  // Constants and columns in locals: the loop stores bytes (alive, intent), which may alias
  // anything, so fields read through `p` or the arrays would be reloaded after every store.
  const double monthly_skill_growth = p.talent_experience_skill_growth / months_per_year;
  const double spinoff_rate = p.talent_spinoff_rate;
  const double age_scale_years = p.talent_other_park_age_scale_years;
  const double age_onset_years = p.talent_other_park_age_onset_years;
  const double* const leave_employed_by_park = rates.leave_employed.data();
  const double* const leave_seeking_by_park = rates.leave_seeking.data();
  const double* const search_share_by_park = rates.search_share.data();
  const double* const destination = cdf.data();
  const std::vector<double> layoff_probabilities = layoff_chances(firms, ctx);
  const double* const layoff_probability = layoff_probabilities.data();
  const std::uint64_t seed = ctx.seed;
  const std::uint32_t step = ctx.step;
  const std::vector<double> departures = ctx.executor.reduce(
      talent.size(), zero,
      [&](std::vector<double>& departures_part, std::size_t begin, std::size_t end) {
        const std::int64_t* const id = talent.id.data();
        const std::int16_t* const park = talent.park.data();
        const std::uint8_t* const sector = talent.sector.data();
        std::uint8_t* const alive = talent.alive.data();
        double* const skill = talent.skill.data();
        std::int64_t* const employer_id = talent.employer.data();
        std::int32_t* const employer_index = talent.employer_index.data();
        std::int32_t* const age_months = talent.age_months.data();
        double* const wage_cny = talent.wage_cny.data();
        std::int32_t* const months_seeking = talent.months_seeking.data();
        std::uint8_t* const intent = talent.intent.data();
        std::int16_t* const target_park = talent.target_park.data();
        double* const part = departures_part.data();

        // The block's largest spin-off rate bounds every member's, so most members skip the
        // exponential (the draw is compared with the bound first; decisions are unchanged).
        double max_skill = -std::numeric_limits<double>::infinity();
        for (std::size_t i = begin; i < end; ++i) max_skill = std::max(max_skill, skill[i]);
        const double spinoff_bound =
            spinoff_rate * std::exp(max_skill + monthly_skill_growth) * (1.0 + 1e-9);
        BatchedStreams streams(seed, id, end, step, Purpose::talent_life);
        for (std::size_t i = begin; i < end; ++i) {
          if (!alive[i]) continue;
          intent[i] = static_cast<std::uint8_t>(TalentIntent::stay);
          const std::int32_t age = age_months[i] + 1;
          age_months[i] = age;
          const auto home = static_cast<std::size_t>(park[i]);
          const int sector_i = sector[i];
          Stream stream = streams.at(i);  // its first Philox block computed in a batch

          // An exited employer releases its staff; an over-staffed one lays some off.
          std::int32_t employer = employer_index[i];
          const double u_layoff = stream.uniform01();
          if (employer >= 0) {
            const double layoff = layoff_probability[static_cast<std::size_t>(employer)];
            if (layoff < 0.0 || u_layoff < layoff) employer = -1;
          }
          if (employer < 0 && employer_index[i] >= 0) {
            employer_id[i] = -1;
            employer_index[i] = -1;
            wage_cny[i] = 0.0;
            months_seeking[i] = 0;
          }
          const bool employed = employer >= 0;

          // Retirement and departure from Shanghai.
          const double u_leave = stream.uniform01();
          if (age >= retirement_months ||
              u_leave < (employed ? leave_employed_by_park[home] : leave_seeking_by_park[home])) {
            alive[i] = 0;
            part[cell_index(home, sector_i)] += 1.0;
            continue;
          }

          const double u_act = stream.uniform01();
          const double u_where = stream.uniform01();
          if (employed) {
            const double grown_skill = skill[i] + monthly_skill_growth;
            skill[i] = grown_skill;
            // Spin-off at the bottom of [0, 1), search at the top. The monthly probability never
            // exceeds the annual one, so the costly power is taken only when u_act is below it.
            if (u_act < spinoff_bound) {
              const double annual = spinoff_rate * std::exp(grown_skill);
              if (u_act < annual && u_act < monthly_probability(annual)) {
                intent[i] = static_cast<std::uint8_t>(TalentIntent::found_firm);
                continue;
              }
            }
            if (u_act < 1.0 - search) continue;  // no search this month
          } else {
            months_seeking[i] += 1;
          }

          // Search: at home, or (less so with age) in another park chosen by distance and jobs.
          intent[i] = static_cast<std::uint8_t>(TalentIntent::search);
          target_park[i] = park[i];
          // The age factor is at most 1, so a draw above the park's share needs no exponential.
          const double share = search_share_by_park[home];
          if (n_parks < 2 || u_where >= share) continue;
          const double age_years = age / months_per_year;
          const double elsewhere =
              share * std::exp(-std::max(0.0, age_years - age_onset_years) / age_scale_years);
          if (u_where < elsewhere) {
            // The fifth draw, taken only when needed: it costs a second Philox block.
            const double u_destination = stream.uniform01();
            const double* row =
                destination + (home * sector_count + static_cast<std::size_t>(sector_i)) * n_parks;
            const std::size_t to =
                static_cast<std::size_t>(std::upper_bound(row, row + n_parks, u_destination) - row);
            target_park[i] = static_cast<std::int16_t>(std::min(to, n_parks - 1));
          }
        }
      },
      [](std::vector<double>& sum, const std::vector<double>& part) {
        for (std::size_t c = 0; c < sum.size(); ++c) sum[c] += part[c];
      });
  for (std::size_t c = 0; c < departures.size(); ++c) flows.talent_departures[c] += departures[c];
}

}  // namespace clustersim
