// Phase enter_spinoffs (docs/model.md 3.3.6): talent who chose to found a firm found one each, in
// talent order, on hand-made firms and talent.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <vector>

#include "clustersim/phases/enter_firms.hpp"
#include "clustersim/phases/enter_spinoffs.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"
#include "helpers.hpp"

using namespace clustersim;
using test_support::CellsBuilder;
using test_support::FirmsBuilder;
using test_support::same_bits;
using test_support::TalentBuilder;

namespace {

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// Two incumbents: firm 0 (id 0) an IC firm in park 0, firm 1 (id 1) an AI firm in park 1.
FirmArrays incumbents() {
  return FirmsBuilder(2)
      .park([](std::size_t i) { return static_cast<std::int16_t>(i); })
      .sector([](std::size_t i) { return i == 0 ? Sector::ic : Sector::ai; })
      .build();
}

}  // namespace

TEST(EnterSpinoffs, EachFounderFoundsOneFirmInTalentOrder) {
  const ModelParameters p = Scenario().parameters();
  const CellStats cells = CellsBuilder(2).build();
  FirmArrays firms = incumbents();
  // Talent 1 (of firm 1) and 3 (of firm 0) found firms; 4 would, but has left; 0 and 2 stay.
  TalentArrays talent =
      TalentBuilder(5)
          .employed_by(firms, [](std::size_t t) { return t == 1 ? 1 : 0; })
          .skill([](std::size_t t) { return 0.2 * static_cast<double>(t); })
          .intent([](std::size_t t) {
            return t == 1 || t == 3 || t == 4 ? TalentIntent::found_firm : TalentIntent::stay;
          })
          .build();
  talent.alive[4] = 0;
  const TalentArrays before = talent;
  const StepContext ctx{p, Executor(2), 9, 3};
  std::int64_t next_firm_id = 50;
  StepFlows flows(2);
  enter_spinoffs(talent, firms, cells, ctx, next_firm_id, flows);

  ASSERT_EQ(firms.size(), 4u);
  EXPECT_EQ(next_firm_id, 52);
  // Founder t founds firm i: ids in talent order, in the founder's park and industry.
  const std::size_t founder_of[2] = {1, 3};
  for (std::size_t k = 0; k < 2; ++k) {
    const std::size_t i = 2 + k, t = founder_of[k];
    EXPECT_EQ(firms.id[i], 50 + static_cast<std::int64_t>(k));
    EXPECT_EQ(firms.park[i], talent.park[t]);
    EXPECT_EQ(firms.sector[i], talent.sector[t]);
    // Drawn as an entrant of enter_firms with the same id (same stream and equations).
    FirmArrays entrant;
    append_new_firm(entrant, firms.id[i], talent.park[t], talent.sector[t], cells, ctx);
    EXPECT_EQ(firms.revenue_cny[i], entrant.revenue_cny[0]);
    EXPECT_EQ(firms.productivity[i], entrant.productivity[0]);
    EXPECT_EQ(firms.cash_cny[i], entrant.cash_cny[0]);
    EXPECT_EQ(firms.stage[i], entrant.stage[0]);
    EXPECT_EQ(firms.age_months[i], 0);
    EXPECT_EQ(firms.alive[i], 1);
    EXPECT_EQ(firms.incubator[i], -1);
    // The founder is the first employee; the rest of the head count are vacancies.
    EXPECT_EQ(firms.employees[i], 1);
    EXPECT_EQ(firms.staffing_gap[i], entrant.employees[0] - 1);
    // The founder works for it, at its wage offer, and does not search this month.
    EXPECT_EQ(talent.employer[t], firms.id[i]);
    EXPECT_EQ(talent.employer_index[t], static_cast<std::int32_t>(i));
    EXPECT_EQ(talent.months_seeking[t], 0);
    EXPECT_DOUBLE_EQ(talent.wage_cny[t],
                     wage_offer(firms.productivity[i], p) *
                         std::exp(p.talent_wage_skill_premium * talent.skill[t]));
    EXPECT_EQ(talent.intent[t], static_cast<std::uint8_t>(TalentIntent::found_firm));
    EXPECT_EQ(talent.park[t], before.park[t]);
    EXPECT_EQ(talent.skill[t], before.skill[t]);
  }
  EXPECT_EQ(firms.park[2], 1);  // talent 1 worked in park 1 (AI)
  EXPECT_EQ(firms.park[3], 0);
  // The others are untouched; the former employers lose their staff only at staff_firms.
  for (std::size_t t : {0u, 2u, 4u}) EXPECT_EQ(talent.employer[t], before.employer[t]) << t;
  EXPECT_EQ(firms.employees[0], 10);
  EXPECT_EQ(firms.employees[1], 10);
  // One spin-off and one entry in each founder's cell.
  EXPECT_EQ(flows.spinoffs[cell_index(1, static_cast<int>(Sector::ai))], 1.0);
  EXPECT_EQ(flows.spinoffs[cell_index(0, static_cast<int>(Sector::ic))], 1.0);
  EXPECT_EQ(sum(flows.spinoffs), 2.0);
  EXPECT_EQ(flows.entries, flows.spinoffs);
}

TEST(EnterSpinoffs, NoFoundersNoFirms) {
  const ModelParameters p = Scenario().parameters();
  const FirmArrays start = incumbents();
  FirmArrays firms = start;
  // Staying, searching, and a founder who has left Shanghai.
  TalentArrays talent = TalentBuilder(3)
                            .employed_by(firms, [](std::size_t t) { return t == 1 ? -1 : 0; })
                            .intent([](std::size_t t) {
                              return t == 0   ? TalentIntent::stay
                                     : t == 1 ? TalentIntent::search
                                              : TalentIntent::found_firm;
                            })
                            .build();
  talent.alive[2] = 0;
  const TalentArrays before = talent;
  std::int64_t next_firm_id = 50;
  StepFlows flows(2);
  enter_spinoffs(talent, firms, CellsBuilder(2).build(), StepContext{p, Executor(2), 9, 3},
                 next_firm_id, flows);
  EXPECT_TRUE(same_bits(firms, start));
  EXPECT_TRUE(same_bits(talent, before));
  EXPECT_EQ(next_firm_id, 50);
  EXPECT_EQ(sum(flows.spinoffs), 0.0);
  EXPECT_EQ(sum(flows.entries), 0.0);
}

TEST(EnterSpinoffs, IdsFollowTalentOrderOnAnyExecutor) {
  // Founders spread over four blocks of talent (Executor::block_size): whatever the number of
  // threads finding them, the k-th founder in talent order founds firm 2 + k with id 50 + k.
  const ModelParameters p = Scenario().parameters();
  const FirmArrays start = incumbents();
  const std::size_t n = 3 * Executor::block_size + 17;
  auto founds = [](std::size_t t) { return t % 997 == 5 || t == 3 * Executor::block_size + 16; };
  const TalentArrays talent_start =
      TalentBuilder(n)
          .employed_by(start, [](std::size_t t) { return static_cast<std::int32_t>(t % 2); })
          .intent([&](std::size_t t) {
            return founds(t) ? TalentIntent::found_firm : TalentIntent::stay;
          })
          .build();
  FirmArrays serial_firms;
  for (int threads : {0, 1, 2, 3}) {
    FirmArrays firms = start;
    TalentArrays talent = talent_start;
    std::int64_t next_firm_id = 50;
    StepFlows flows(2);
    enter_spinoffs(talent, firms, CellsBuilder(2).build(), StepContext{p, Executor(threads), 9, 3},
                   next_firm_id, flows);
    std::int64_t k = 0;
    for (std::size_t t = 0; t < n; ++t) {
      if (!founds(t)) continue;
      EXPECT_EQ(talent.employer[t], 50 + k) << "talent " << t << ", threads " << threads;
      EXPECT_EQ(talent.employer_index[t], 2 + k) << "talent " << t << ", threads " << threads;
      ++k;
    }
    EXPECT_EQ(static_cast<std::int64_t>(firms.size()), 2 + k);
    EXPECT_EQ(next_firm_id, 50 + k);
    if (threads == 0) {
      serial_firms = firms;
    } else {
      EXPECT_TRUE(same_bits(firms, serial_firms)) << threads;
    }
  }
}
