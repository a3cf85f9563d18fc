// Phase admit_to_incubators (docs/model.md 3.3.15) on hand-made incubators and firms.
#include <gtest/gtest.h>

#include "clustersim/phases/admit_to_incubators.hpp"
#include "clustersim/scenario/scenario.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::IncubatorsBuilder;
using test_support::new_firms;

TEST(Incubators, AdmitToTheBestWithRoom) {
  Scenario s;
  s.set("incubators.admission_share", 1.0);
  const ModelParameters p = s.parameters();
  IncubatorArrays incubators = IncubatorsBuilder(3).quality({0.1, 0.9, 0.5}).capacity(2).build();
  FirmArrays firms = new_firms(5).build();
  StepFlows flows(1);
  admit_to_incubators(incubators, firms, 0, StepContext{p, Executor(1), 1, 1}, flows);
  EXPECT_EQ(firms.incubator[0], 1);  // best quality first
  EXPECT_EQ(firms.incubator[1], 1);
  EXPECT_EQ(firms.incubator[2], 2);  // then the next best, once the best is full
  EXPECT_EQ(firms.incubator[3], 2);
  EXPECT_EQ(firms.incubator[4], 0);
  EXPECT_EQ(incubators.occupants[1], 2);
  EXPECT_EQ(flows.incubator_admissions[0], 5.0);
}
