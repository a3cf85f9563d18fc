// Talent's month, as docs/model.md states it: one person at a time, each with its own stream.
#include <algorithm>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "reference.hpp"

namespace clustersim::reference {

void talent_life(TalentArrays& talent, const FirmArrays& firms, const Parks& parks,
                 const CellStats& cells, const StepContext& ctx, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  const std::size_t n_parks = parks.size();
  const double search = monthly_probability(p.talent_job_search_rate);
  const auto retirement_months =
      static_cast<std::int32_t>(std::lround(p.talent_retirement_age_years * months_per_year));
  for (std::size_t i = 0; i < talent.size(); ++i) {
    if (!talent.alive[i]) continue;
    talent.intent[i] = static_cast<std::uint8_t>(TalentIntent::stay);
    const std::int32_t age = ++talent.age_months[i];
    const auto home = static_cast<std::size_t>(talent.park[i]);
    const int sector = talent.sector[i];
    Stream stream(ctx.seed, static_cast<std::uint64_t>(talent.id[i]), ctx.step,
                  Purpose::talent_life);

    // Released by an employer that exited, or laid off by one with more staff than it wants.
    const double u_layoff = stream.uniform01();
    if (talent.employer_index[i] >= 0) {
      const auto f = static_cast<std::size_t>(talent.employer_index[i]);
      bool released = !firms.alive[f];
      if (!released && firms.staffing_gap[f] < 0 && firms.employees[f] > 0) {
        const double excess = -static_cast<double>(firms.staffing_gap[f]) / firms.employees[f];
        released = u_layoff < p.labour_layoff_rate * std::min(excess, 1.0);
      }
      if (released) {
        talent.employer[i] = -1;
        talent.employer_index[i] = -1;
        talent.wage_cny[i] = 0.0;
        talent.months_seeking[i] = 0;
      }
    }
    const bool employed = talent.employer_index[i] >= 0;

    // Retirement, or departure from Shanghai (less likely where international talent
    // communities act).
    const double stay =
        1.0 - p.international_leave_cut * ctx.policy.at(Lever::international_talent, home);
    const double leave =
        monthly_probability((employed ? p.talent_leave_rate : p.talent_seeker_leave_rate) * stay);
    const double u_leave = stream.uniform01();
    if (age >= retirement_months || u_leave < leave) {
      talent.alive[i] = 0;
      flows.talent_departures[cell_index(home, sector)] += 1.0;
      continue;
    }

    const double u_act = stream.uniform01();
    const double u_where = stream.uniform01();
    if (employed) {
      talent.skill[i] += p.talent_experience_skill_growth / months_per_year;
      const double spinoff = monthly_probability(p.talent_spinoff_rate * std::exp(talent.skill[i]));
      if (u_act < spinoff) {
        talent.intent[i] = static_cast<std::uint8_t>(TalentIntent::found_firm);
        continue;
      }
      if (u_act < 1.0 - search) continue;
    } else {
      talent.months_seeking[i] += 1;
    }

    // Search at home, or (less so with age) in another park chosen by vacancies and distance.
    talent.intent[i] = static_cast<std::uint8_t>(TalentIntent::search);
    talent.target_park[i] = talent.park[i];
    const double share =
        p.talent_other_park_search_share *
        (1.0 + p.coordination_search_gain * ctx.policy.at(Lever::cross_park_coordination, home));
    const double elsewhere =
        share *
        std::exp(-std::max(0.0, age / months_per_year - p.talent_other_park_age_onset_years) /
                 p.talent_other_park_age_scale_years);
    if (n_parks < 2 || u_where >= elsewhere) continue;
    const double u_destination = stream.uniform01();
    std::vector<double> cumulative(n_parks, 0.0);
    double total = 0.0;
    for (std::size_t to = 0; to < n_parks; ++to) {
      if (to != home) {
        total += (cells.vacancies[cell_index(to, sector)] + 1.0) *
                 std::exp(-parks.distance(home, to) / p.talent_distance_scale_km);
      }
      cumulative[to] = total;
    }
    std::size_t to = 0;
    while (to < n_parks && (total > 0 ? cumulative[to] / total : 1.0) <= u_destination) ++to;
    talent.target_park[i] = static_cast<std::int16_t>(std::min(to, n_parks - 1));
  }
}

}  // namespace clustersim::reference
