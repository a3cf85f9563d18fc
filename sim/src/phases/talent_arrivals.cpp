#include "clustersim/phases/talent_arrivals.hpp"

#include <array>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <numeric>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

namespace {

// Where a new arrival of a kind starts: how many, of which age, with a job at which firm.
struct ArrivalGroup {
  std::size_t cell;
  std::int64_t count;
  double age_years;
  std::int32_t employer_index;  // -1: arrives as a job seeker
  double skill_offset = 0.0;    // added to the drawn log skill (postdocs)
};

// The arrival ages (talent.arrival_age_years) by kind of arrival.
enum ArrivalKind : std::size_t {
  founding_team_arrival,
  graduate_arrival,
  trainee_arrival,
  international_arrival,
  postdoc_arrival
};

// Founding teams of this month's new leading-sector firms [first, end) (spin-offs bring their
// founder), employed by their firm.
void founding_teams(const FirmArrays& firms, std::size_t first, std::size_t end,
                    const ModelParameters& p, std::vector<ArrivalGroup>& groups) {
  for (std::size_t i = first; i < end; ++i) {
    if (!is_leading(firms.sector[i])) continue;
    groups.push_back({cell_index(static_cast<std::size_t>(firms.park[i]), firms.sector[i]),
                      firms.employees[i], p.talent_arrival_age_years[founding_team_arrival],
                      static_cast<std::int32_t>(i)});
  }
}

// Graduates, trainees, international arrivals and postdocs, per cell: Poisson around the
// yearly flows (full scale, times the scale), shared over parks by their talent and vacancies.
void pool_arrivals(const CellStats& cells, std::size_t n_parks, const StepContext& ctx,
                   std::vector<ArrivalGroup>& groups) {
  const ModelParameters& p = ctx.params;
  const bool graduation =
      ((ctx.step - 1) % 12) + 1 == static_cast<std::uint32_t>(p.talent_graduation_month);
  std::array<double, leading_count> sector_talent{};
  for (std::size_t k = 0; k < n_parks; ++k) {
    for (int s = 0; s < 3; ++s) sector_talent[s] += cells.talent[cell_index(k, s)];
  }
  const double all_talent = sector_talent[0] + sector_talent[1] + sector_talent[2];
  for (int s = 0; s < 3; ++s) {
    double park_weight_total = 0.0;
    for (std::size_t k = 0; k < n_parks; ++k) {
      park_weight_total += cells.talent[cell_index(k, s)] + cells.vacancies[cell_index(k, s)] + 1.0;
    }
    const double sector_share = all_talent > 0 ? sector_talent[s] / all_talent : 1.0 / 3.0;
    const double graduates =
        graduation ? p.talent_graduates_per_year[static_cast<std::size_t>(s)] : 0.0;
    for (std::size_t k = 0; k < n_parks; ++k) {
      const std::size_t c = cell_index(k, s);
      const double weight =
          (cells.talent[c] + cells.vacancies[c] + 1.0) / park_weight_total * p.scale;
      Stream stream(ctx.seed, c, ctx.step, Purpose::talent_arrival_count);
      // Talent levers: training, international communities and the global network scale their
      // flows; postdoc stations add a fourth, skilled one (drawn last, so that the others'
      // draws do not change when it is off).
      const double training = 1.0 + p.training_gain * ctx.policy.at(Lever::talent_training, k);
      const double international =
          1.0 + p.international_gain * ctx.policy.at(Lever::international_talent, k) +
          p.global_network_international_gain * ctx.policy.at(Lever::global_network, k);
      const double means[4] = {
          graduates * weight,
          p.talent_training_per_year * training * sector_share / months_per_year * weight,
          p.talent_international_per_year * international * sector_share / months_per_year * weight,
          p.postdocs_per_year * ctx.policy.at(Lever::postdoc_stations, k) * sector_share /
              months_per_year * weight};
      for (std::size_t kind = 0; kind < 4; ++kind) {
        std::int64_t count = 0;
        if (means[kind] > 0) {
          boost::random::poisson_distribution<std::int64_t, double> arrivals(means[kind]);
          count = arrivals(stream);
        }
        if (count > 0) {
          groups.push_back({c, count, p.talent_arrival_age_years[graduate_arrival + kind], -1,
                            graduate_arrival + kind == postdoc_arrival ? p.postdoc_skill : 0.0});
        }
      }
    }
  }
}

// The groups' agents appended, ids in group order from a prefix sum, attributes per agent in
// parallel; returns how many.
std::size_t append_arrivals(TalentArrays& talent, const std::vector<ArrivalGroup>& groups,
                            const FirmArrays& firms, const StepContext& ctx,
                            std::int64_t next_talent_id, StepFlows& flows) {
  const ModelParameters& p = ctx.params;
  std::vector<std::int64_t> offset(groups.size() + 1, 0);
  for (std::size_t g = 0; g < groups.size(); ++g) offset[g + 1] = offset[g] + groups[g].count;
  const std::size_t first = talent.size();
  const auto added = static_cast<std::size_t>(offset.back());
  if (added == 0) return 0;
  talent.resize(first + added);
  std::vector<std::uint32_t> group_of(added);
  for (std::size_t g = 0; g < groups.size(); ++g) {
    for (auto k = offset[g]; k < offset[g + 1]; ++k)
      group_of[static_cast<std::size_t>(k)] = static_cast<std::uint32_t>(g);
    flows.talent_arrivals[groups[g].cell] += static_cast<double>(groups[g].count);
  }
  ctx.executor.for_each(added, [&](std::size_t k) {
    const ArrivalGroup& group = groups[group_of[k]];
    const std::size_t t = first + k;
    talent.id[t] = next_talent_id + static_cast<std::int64_t>(k);
    talent.park[t] = static_cast<std::int16_t>(group.cell / sector_count);
    talent.sector[t] = static_cast<std::uint8_t>(group.cell % sector_count);
    talent.alive[t] = 1;
    Stream stream(ctx.seed, static_cast<std::uint64_t>(talent.id[t]), ctx.step,
                  Purpose::talent_attributes);
    boost::random::normal_distribution<double> skill(0.0, p.talent_skill_sd);
    talent.skill[t] = skill(stream) + group.skill_offset;
    talent.age_months[t] = static_cast<std::int32_t>(group.age_years * months_per_year);
    talent.target_park[t] = talent.park[t];
    talent.intent[t] = static_cast<std::uint8_t>(TalentIntent::stay);
    talent.months_seeking[t] = 0;
    if (group.employer_index >= 0) {
      const auto f = static_cast<std::size_t>(group.employer_index);
      talent.employer_index[t] = group.employer_index;
      talent.employer[t] = firms.id[f];
      talent.wage_cny[t] = wage_offer(firms.productivity[f], p) *
                           std::exp(p.talent_wage_skill_premium * talent.skill[t]);
    } else {
      talent.employer_index[t] = -1;
      talent.employer[t] = -1;
      talent.wage_cny[t] = 0.0;
      talent.intent[t] = static_cast<std::uint8_t>(TalentIntent::search);
    }
  });
  return added;
}

}  // namespace

void talent_arrivals(TalentArrays& talent, const FirmArrays& firms, std::size_t first_new_firm,
                     std::size_t end_new_firm, const Parks& parks, const CellStats& cells,
                     const StepContext& ctx, std::int64_t& next_talent_id, StepFlows& flows) {
  std::vector<ArrivalGroup> groups;
  founding_teams(firms, first_new_firm, end_new_firm, ctx.params, groups);
  pool_arrivals(cells, parks.size(), ctx, groups);
  next_talent_id +=
      static_cast<std::int64_t>(append_arrivals(talent, groups, firms, ctx, next_talent_id, flows));
}

}  // namespace clustersim
