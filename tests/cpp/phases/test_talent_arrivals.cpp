// Phase talent_arrivals (docs/model.md 3.3.7): founding teams of the month's new firms, and
// graduates in the graduation month, on hand-made firms and cells.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>

#include "clustersim/phases/talent_arrivals.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::CellsBuilder;
using test_support::FirmsBuilder;
using test_support::ParksBuilder;
using test_support::TalentBuilder;

namespace {

// Graduates only (in the graduation month, July): no trainees, no international arrivals (and
// no postdocs: that lever is off).
Scenario graduates_only(std::vector<double> graduates_per_year) {
  Scenario s;
  s.set("talent.training_per_year", 0.0);
  s.set("talent.international_per_year", 0.0);
  s.set("talent.graduates_per_year", std::move(graduates_per_year));
  return s;
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

TEST(TalentArrivals, FoundingTeamsJoinThisMonthsNewLeadingFirms) {
  // Firms 2-4 are this month's new firms from enter_firms and found_incubator_teams; firm 5 a
  // spin-off (outside the range), firms 0-1 incumbents. Firm 3 is of `other`: no team.
  const ModelParameters p = graduates_only({0.0, 0.0, 0.0}).parameters();
  const FirmArrays firms =
      FirmsBuilder(6)
          .first_id(70)
          .park([](std::size_t i) { return static_cast<std::int16_t>(i == 2 ? 1 : 0); })
          .sector([](std::size_t i) {
            return i == 3 ? Sector::other : i == 4 ? Sector::ai : Sector::ic;
          })
          .employees([](std::size_t i) { return static_cast<std::int32_t>(i); })
          .productivity([](std::size_t i) { return 1.0 + static_cast<double>(i); })
          .build();
  TalentArrays talent = TalentBuilder(3).build();  // three agents already there
  std::int64_t next_talent_id = 1000;
  StepFlows flows(2);
  talent_arrivals(talent, firms, 2, 5, ParksBuilder(2).build(), CellsBuilder(2).build(),
                  StepContext{p, Executor(2), 8, 1}, next_talent_id, flows);
  // Firm 2's two agents, then firm 4's four, with ids from next_talent_id in that order.
  ASSERT_EQ(talent.size(), 3u + 2u + 4u);
  EXPECT_EQ(next_talent_id, 1006);
  for (std::size_t t = 3; t < talent.size(); ++t) {
    const std::size_t f = t < 5 ? 2 : 4;
    EXPECT_EQ(talent.id[t], 1000 + static_cast<std::int64_t>(t - 3)) << t;
    EXPECT_EQ(talent.employer_index[t], static_cast<std::int32_t>(f)) << t;
    EXPECT_EQ(talent.employer[t], firms.id[f]) << t;
    EXPECT_EQ(talent.park[t], firms.park[f]) << t;
    EXPECT_EQ(talent.target_park[t], firms.park[f]) << t;
    EXPECT_EQ(talent.sector[t], firms.sector[f]) << t;
    EXPECT_EQ(talent.alive[t], 1) << t;
    EXPECT_EQ(talent.age_months[t], 30 * 12) << t;
    EXPECT_EQ(talent.intent[t], static_cast<std::uint8_t>(TalentIntent::stay)) << t;
    EXPECT_EQ(talent.months_seeking[t], 0) << t;
    EXPECT_TRUE(std::isfinite(talent.skill[t])) << t;
    EXPECT_DOUBLE_EQ(talent.wage_cny[t],
                     wage_offer(firms.productivity[f], p) *
                         std::exp(p.talent_wage_skill_premium * talent.skill[t]))
        << t;
  }
  EXPECT_EQ(flows.talent_arrivals[cell_index(1, static_cast<int>(Sector::ic))], 2.0);
  EXPECT_EQ(flows.talent_arrivals[cell_index(0, static_cast<int>(Sector::ai))], 4.0);
  EXPECT_EQ(sum(flows.talent_arrivals), 6.0);
}

TEST(TalentArrivals, GraduatesArriveOnlyInTheGraduationMonth) {
  // 3,000 IC graduates a year at scale 0.1 arrive in July: Poisson with mean 300 in all, shared
  // over the parks by talent + vacancies + 1 (cells of the end of the previous step): park 0
  // holds 8,999 IC talent (weight 9,000), park 1 999 vacancies (weight 1,000), so 270 and 30.
  // Tolerances 4 Poisson sd: 4 sqrt(270) = 66, 4 sqrt(30) = 22. Biomedicine and AI have none.
  Scenario s = graduates_only({3000.0, 0.0, 0.0});
  s.set("scale", 0.1);
  const ModelParameters p = s.parameters();
  const Parks parks = ParksBuilder(2).build();
  const CellStats cells =
      CellsBuilder(2).talent(0, Sector::ic, 8999.0).vacancies(1, Sector::ic, 999.0).build();
  FirmArrays firms;  // no new firms: no founding teams
  TalentArrays talent;
  std::int64_t next_talent_id = 0;
  for (std::uint32_t step = 1; step <= 24; ++step) {
    const std::size_t before = talent.size();
    StepFlows flows(2);
    talent_arrivals(talent, firms, 0, 0, parks, cells, StepContext{p, Executor(2), 21, step},
                    next_talent_id, flows);
    const bool july = step == 7 || step == 19;
    EXPECT_EQ(talent.size() > before, july) << "step " << step;
    EXPECT_EQ(sum(flows.talent_arrivals), static_cast<double>(talent.size() - before));
    EXPECT_EQ(next_talent_id, static_cast<std::int64_t>(talent.size()));
    if (!july) continue;
    EXPECT_NEAR(flows.talent_arrivals[cell_index(0, 0)], 270.0, 66.0) << "step " << step;
    EXPECT_NEAR(flows.talent_arrivals[cell_index(1, 0)], 30.0, 22.0) << "step " << step;
    for (std::size_t t = before; t < talent.size(); ++t) {
      EXPECT_EQ(talent.sector[t], static_cast<std::uint8_t>(Sector::ic));
      EXPECT_EQ(talent.age_months[t], 24 * 12);
      EXPECT_EQ(talent.employer[t], -1);  // job seekers in their park's market this month
      EXPECT_EQ(talent.employer_index[t], -1);
      EXPECT_EQ(talent.wage_cny[t], 0.0);
      EXPECT_EQ(talent.intent[t], static_cast<std::uint8_t>(TalentIntent::search));
      EXPECT_EQ(talent.target_park[t], talent.park[t]);
    }
  }
}
