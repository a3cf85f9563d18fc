// Phase graduate_incubatees (docs/model.md 3.3.13): graduation (relay incubation) and failures,
// on hand-made incubators and firms.
#include <gtest/gtest.h>

#include "clustersim/phases/graduate_incubatees.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::CellsBuilder;
using test_support::IncubatorsBuilder;
using test_support::new_firms;

TEST(Incubators, GraduationNeedsSpaceUntilTheMaximum) {
  const ModelParameters p = Scenario().parameters();  // 24 months, at most 48
  IncubatorArrays incubators = IncubatorsBuilder(1).quality(0.0).capacity(10).build();
  FirmArrays firms = new_firms(3).build();
  for (std::size_t i = 0; i < 3; ++i) {
    firms.incubator[i] = 0;
    incubators.occupants[0] += 1;
  }
  firms.incubated_months[0] = 23;  // due this month
  firms.incubated_months[1] = 47;  // at the maximum this month
  firms.alive[2] = 0;              // exited: a failure
  StepFlows flows(1);
  // A full park: the due incubatee waits, the one at the maximum leaves anyway.
  graduate_incubatees(incubators, firms, CellsBuilder(1).occupancy(1.0).build(),
                      StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(firms.incubator[0], 0);
  EXPECT_EQ(firms.incubator[1], -1);
  EXPECT_EQ(firms.incubator[2], -1);
  EXPECT_EQ(incubators.graduations_year[0], 1);
  EXPECT_EQ(incubators.failures_year[0], 1);
  EXPECT_EQ(incubators.occupants[0], 1);
  // Space frees up: it graduates.
  graduate_incubatees(incubators, firms, CellsBuilder(1).occupancy(0.5).build(),
                      StepContext{p, Executor(1), 1, 2}, flows);
  EXPECT_EQ(firms.incubator[0], -1);
  EXPECT_EQ(incubators.occupants[0], 0);
  EXPECT_EQ(flows.graduations[0], 2.0);
}
