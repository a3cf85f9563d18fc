// Phase relocate_firms (docs/model.md 3.3.24) on hand-made parks, firms and talent: who moves,
// how often, where to, who comes along, and who leaves the zone for the rest of the city.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numeric>

#include "clustersim/phases/relocate_firms.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"
#include "helpers.hpp"

using namespace clustersim;
using test_support::CellsBuilder;
using test_support::FirmsBuilder;
using test_support::ParksBuilder;
using test_support::same_bits;
using test_support::TalentBuilder;

namespace {

// Relocation certain under any pressure of at least 1/12 (rate 12 a year: monthly probability
// 1); `out_share` of the relocating leading-industry firms without VC leave the zone.
Scenario certain_moves(double out_share = 0.0) {
  Scenario s;
  s.set("firms.relocation.rate", 12.0);
  s.set("city.relocation_out_share", out_share);
  return s;
}

// Park 0 full (congestion 1: pressure 1 on every firm there), the other parks half full.
CellStats home_full(std::size_t parks) {
  return CellsBuilder(parks).occupancy(0.5).occupancy(0, 1.0).build();
}

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

}  // namespace

TEST(RelocateFirms, UnderFullPressureFirmsMoveAtTheMonthlyRateAndNoneAtRateZero) {
  // 20,000 firms of `other` (which never leave the zone) in the full park, pressure 1. At a rate
  // of 0.6 a year each moves with mp(0.6) = 1 - 0.4^(1/12) = 7.35 % this month; the binomial sd
  // of the count is sqrt(n p (1 - p)) = 36.9, so 4 sd = 148 firms is the tolerance.
  Scenario s;
  s.set("firms.relocation.rate", 0.6);
  const Parks parks = ParksBuilder(2).distances(10.0).build();
  const CellStats cells = home_full(2);
  const FirmArrays start = FirmsBuilder(20000).sector(Sector::other).build();
  FirmArrays firms = start;
  TalentArrays talent;
  City city;
  StepFlows flows(2);
  relocate_firms(firms, talent, parks, cells, StepContext{s.parameters(), Executor(2), 11, 3}, city,
                 flows);
  double moved = 0;
  for (std::size_t i = 0; i < firms.size(); ++i) moved += firms.park[i] == 1;
  EXPECT_NEAR(moved, 20000 * monthly_probability(0.6), 148);
  EXPECT_EQ(flows.firm_moves[0 * 2 + 1], moved);  // origin 0, destination 1
  EXPECT_EQ(sum(flows.firm_moves), moved);
  EXPECT_EQ(sum(flows.firms_left_zone), 0.0);
  // A move changes the park and nothing else of the firm.
  FirmArrays back = firms;
  for (std::size_t i = 0; i < back.size(); ++i) back.park[i] = 0;
  EXPECT_TRUE(same_bits(back, start));

  // No rate, no move: the same month and seed leave every firm where it was.
  s.set("firms.relocation.rate", 0.0);
  FirmArrays still = start;
  StepFlows none(2);
  relocate_firms(still, talent, parks, cells, StepContext{s.parameters(), Executor(2), 11, 3}, city,
                 none);
  EXPECT_TRUE(same_bits(still, start));
  EXPECT_EQ(sum(none.firm_moves), 0.0);
}

TEST(RelocateFirms, PressureIsTheUnfilledShareOfTheStaffALeadingFirmWants) {
  // A park with room (occupancy 0.5, congestion 0). Of 30,000 firms, a third are IC firms
  // wanting 10 more staff on top of their 10 (g = 10 / 20 = 0.5), a third IC firms wanting none
  // (P = 0) and a third `other` firms with the same gap (only leading sectors count it: P = 0).
  // At rate 0.6, the first third moves with mp(0.6 x 0.5) = 2.93 %: 293 of 10,000, binomial sd
  // 16.9, tolerance 4 sd = 68; the others never.
  Scenario s;
  s.set("firms.relocation.rate", 0.6);
  s.set("city.relocation_out_share", 0.0);
  const Parks parks = ParksBuilder(2).distances(10.0).build();
  const CellStats cells = CellsBuilder(2).occupancy(0.5).build();
  FirmArrays firms =
      FirmsBuilder(30000)
          .sector([](std::size_t i) { return i % 3 == 2 ? Sector::other : Sector::ic; })
          .employees(10)
          .staffing_gap([](std::size_t i) { return i % 3 == 1 ? 0 : 10; })
          .build();
  TalentArrays talent;
  City city;
  StepFlows flows(2);
  relocate_firms(firms, talent, parks, cells, StepContext{s.parameters(), Executor(2), 5, 7}, city,
                 flows);
  double moved[3] = {0, 0, 0};
  for (std::size_t i = 0; i < firms.size(); ++i) moved[i % 3] += firms.park[i] == 1;
  EXPECT_NEAR(moved[0], 10000 * monthly_probability(0.3), 68);
  EXPECT_EQ(moved[1], 0.0);
  EXPECT_EQ(moved[2], 0.0);
}

TEST(RelocateFirms, EmployedTalentMoveWithTheirFirm) {
  const ModelParameters p = certain_moves().parameters();
  const Parks parks = ParksBuilder(2).distances(10.0).build();
  // Firm 0 moves; firm 1, incubated, stays.
  FirmArrays firms =
      FirmsBuilder(2).incubator([](std::size_t i) { return i == 1 ? 0 : -1; }).build();
  // Talent 0-2 work for firm 0, 3-4 for firm 1, 5 seeks a job in park 0, 6 (gone) worked for 0.
  auto employer = [](std::size_t t) -> std::int32_t {
    if (t < 3 || t == 6) return 0;
    return t < 5 ? 1 : -1;
  };
  TalentArrays talent = TalentBuilder(7).employed_by(firms, employer).build();
  talent.alive[6] = 0;
  const TalentArrays start = talent;
  City city;
  StepFlows flows(2);
  relocate_firms(firms, talent, parks, home_full(2), StepContext{p, Executor(1), 1, 1}, city,
                 flows);
  ASSERT_EQ(firms.park[0], 1);
  EXPECT_EQ(firms.park[1], 0);
  for (std::size_t t = 0; t < 3; ++t) {
    EXPECT_EQ(talent.park[t], 1) << t;  // with their employer
    EXPECT_EQ(talent.employer_index[t], 0) << t;
    EXPECT_EQ(talent.alive[t], 1) << t;
  }
  for (std::size_t t = 3; t < 7; ++t) EXPECT_EQ(talent.park[t], 0) << t;
  EXPECT_EQ(flows.firm_moves[0 * 2 + 1], 1.0);
  EXPECT_EQ(flows.talent_relocated[0 * 2 + 1], 3.0);
  EXPECT_EQ(sum(flows.talent_relocated), 3.0);
  EXPECT_EQ(sum(flows.talent_moves), 0.0);  // hires only
  // Only the park of the staff changes.
  for (std::size_t t = 0; t < 3; ++t) talent.park[t] = 0;
  EXPECT_TRUE(same_bits(talent, start));
}

TEST(RelocateFirms, IncubateesAndChainLeadersNeverMove) {
  // Four firms under full pressure with relocation certain: an incubatee, a chain leader and a
  // firm that exited stay; only the fourth moves.
  const ModelParameters p = certain_moves().parameters();
  const Parks parks = ParksBuilder(2).distances(10.0).build();
  FirmArrays firms =
      FirmsBuilder(4)
          .incubator([](std::size_t i) { return i == 0 ? 3 : -1; })
          .stage([](std::size_t i) { return i == 1 ? Stage::chain_leader : Stage::growth; })
          .build();
  firms.alive[2] = 0;
  TalentArrays talent;
  City city;
  StepFlows flows(2);
  relocate_firms(firms, talent, parks, home_full(2), StepContext{p, Executor(1), 2, 4}, city,
                 flows);
  EXPECT_EQ(firms.park[0], 0);
  EXPECT_EQ(firms.park[1], 0);
  EXPECT_EQ(firms.park[2], 0);
  EXPECT_EQ(firms.park[3], 1);
  EXPECT_EQ(sum(flows.firm_moves), 1.0);
}

TEST(RelocateFirms, AMoveGoesToAParkOfTheZoneWithRoom) {
  // From the full park 0: park 1 is full (space factor 0), park 2 has room, park 3 has room but
  // lost its plaque, park 4 is beyond full. Every relocating firm goes to park 2.
  const ModelParameters p = certain_moves().parameters();
  const Parks parks = ParksBuilder(5).distances(10.0).removed(3).build();
  CellStats cells = CellsBuilder(5)
                        .occupancy(0, 1.0)
                        .occupancy(1, 1.0)
                        .occupancy(2, 0.5)
                        .occupancy(3, 0.5)
                        .occupancy(4, 1.2)
                        .build();
  const FirmArrays start = FirmsBuilder(200).sector(Sector::other).build();
  FirmArrays firms = start;
  TalentArrays talent;
  City city;
  StepFlows flows(5);
  relocate_firms(firms, talent, parks, cells, StepContext{p, Executor(2), 3, 2}, city, flows);
  for (std::size_t i = 0; i < firms.size(); ++i) EXPECT_EQ(firms.park[i], 2) << i;
  EXPECT_EQ(flows.firm_moves[0 * 5 + 2], 200.0);
  EXPECT_EQ(sum(flows.firm_moves), 200.0);

  // With park 2 full too, no park of the zone has room: every firm stays.
  cells.occupancy[2] = 1.0;
  FirmArrays stuck = start;
  StepFlows none(5);
  relocate_firms(stuck, talent, parks, cells, StepContext{p, Executor(2), 3, 2}, city, none);
  EXPECT_TRUE(same_bits(stuck, start));
  EXPECT_EQ(sum(none.firm_moves), 0.0);
}

TEST(RelocateFirms, DestinationsAreWeightedBySeekersAndNearness) {
  // w_k = phi(o_k) (seeking_k,s + 1) e^(-d_hk / d_R), with d_R = 20 km. 8,000 IC firms relocate
  // from park 0 (certainly, none may leave the zone) to parks 1 and 2, both half full.
  const ModelParameters p = certain_moves().parameters();
  const FirmArrays start = FirmsBuilder(8000).build();
  // Binomial sd of the count going to park 1 is at most sqrt(8000 / 4) = 44.7; 4 sd = 179.
  auto to_park_1 = [&](const Parks& parks, const CellStats& cells) {
    FirmArrays firms = start;
    TalentArrays talent;
    City city;
    StepFlows flows(3);
    relocate_firms(firms, talent, parks, cells, StepContext{p, Executor(2), 9, 5}, city, flows);
    EXPECT_EQ(sum(flows.firm_moves), 8000.0);
    return flows.firm_moves[0 * 3 + 1];
  };
  // Equally near; park 2 has two IC job seekers, park 1 none: weights 1 and 3 (park 1 gets 1/4).
  const Parks equidistant = ParksBuilder(3).distances(10.0).build();
  const CellStats seekers_in_2 = CellsBuilder(3)
                                     .occupancy(0.5)
                                     .occupancy(0, 1.0)
                                     .seeking(2, Sector::ic, 2.0)
                                     .seeking(1, Sector::other, 50.0)  // another industry
                                     .build();
  EXPECT_NEAR(to_park_1(equidistant, seekers_in_2), 8000 * 0.25, 179);
  // Equal seekers; park 1 at 20 km, park 2 at 40 km: weights e^-1 and e^-2, so park 1 gets
  // 1 / (1 + e^-1) = 73.1 %.
  Parks spread = ParksBuilder(3).build();
  spread.distance_km = {0.0, 20.0, 40.0, 20.0, 0.0, 20.0, 40.0, 20.0, 0.0};
  EXPECT_NEAR(to_park_1(spread, home_full(3)), 8000 / (1 + std::exp(-1.0)), 179);
}

TEST(RelocateFirms, LeavingTheZoneWhenItIsCertain) {
  // city.relocation_out_share 1: every relocating leading-industry firm without venture capital
  // leaves the zone; a venture-backed firm and a firm of `other` move to a park instead.
  Scenario s = certain_moves(1.0);
  s.set("scale", 0.5);
  const ModelParameters p = s.parameters();
  const Parks parks = ParksBuilder(2).distances(10.0).build();
  FirmArrays firms = FirmsBuilder(3)
                         .sector([](std::size_t i) { return i == 2 ? Sector::other : Sector::ic; })
                         .vc_raised([](std::size_t i) { return i == 1 ? 2e7 : 0.0; })
                         .revenue(3e7)
                         .build();
  // Talent 0-1 work for firm 0, talent 2 for firm 1.
  TalentArrays talent =
      TalentBuilder(3).employed_by(firms, [](std::size_t t) { return t < 2 ? 0 : 1; }).build();
  City city;
  city.outside_revenue_cny = {1e11, 2e11, 3e11};
  StepFlows flows(2);
  relocate_firms(firms, talent, parks, home_full(2), StepContext{p, Executor(1), 4, 6}, city,
                 flows);
  EXPECT_EQ(firms.alive[0], 0);
  EXPECT_EQ(firms.exit_route[0], 3);  // left the zone
  EXPECT_EQ(firms.park[0], 0);
  EXPECT_EQ(flows.firms_left_zone[cell_index(0, 0)], 1.0);
  EXPECT_EQ(sum(flows.firms_left_zone), 1.0);
  EXPECT_EQ(sum(flows.exits), 0.0);  // not an exit
  EXPECT_EQ(city.firms_moved_in, 1.0);
  EXPECT_EQ(city.outside_revenue_cny[0], 1e11 + 3e7 / 0.5);  // at full scale
  EXPECT_EQ(city.outside_revenue_cny[1], 2e11);
  EXPECT_EQ(city.outside_revenue_cny[2], 3e11);
  for (std::size_t t = 0; t < 2; ++t) {  // its talent leave with it
    EXPECT_EQ(talent.alive[t], 0) << t;
    EXPECT_EQ(talent.employer_index[t], -1) << t;
  }
  EXPECT_EQ(flows.talent_left_zone[cell_index(0, 0)], 2.0);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(firms.alive[i], 1) << i;
    EXPECT_EQ(firms.exit_route[i], 0) << i;
    EXPECT_EQ(firms.park[i], 1) << i;
  }
  EXPECT_EQ(talent.alive[2], 1);
  EXPECT_EQ(talent.park[2], 1);
  EXPECT_EQ(flows.firm_moves[0 * 2 + 1], 2.0);
  EXPECT_EQ(flows.talent_relocated[0 * 2 + 1], 1.0);

  // The outside option comes before the room: with park 1 full too, the firm without VC still
  // leaves the zone; the others have nowhere to go and stay.
  FirmArrays again = FirmsBuilder(3)
                         .sector([](std::size_t i) { return i == 2 ? Sector::other : Sector::ic; })
                         .vc_raised([](std::size_t i) { return i == 1 ? 2e7 : 0.0; })
                         .build();
  TalentArrays nobody;
  StepFlows full_flows(2);
  relocate_firms(again, nobody, parks, CellsBuilder(2).occupancy(1.0).build(),
                 StepContext{p, Executor(1), 4, 6}, city, full_flows);
  EXPECT_EQ(again.alive[0], 0);
  EXPECT_EQ(again.exit_route[0], 3);
  EXPECT_EQ(again.park[1], 0);
  EXPECT_EQ(again.park[2], 0);
  EXPECT_EQ(sum(full_flows.firm_moves), 0.0);
}
