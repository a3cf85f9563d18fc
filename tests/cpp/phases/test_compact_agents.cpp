// Phase compact_agents (December, docs/model.md 1.3): the dead leave every column, in order.
#include <gtest/gtest.h>

#include "clustersim/phases/compact_agents.hpp"

using namespace clustersim;

TEST(FirmArrays, CompactDropsTheDeadFromEveryColumn) {
  FirmArrays firms;
  firms.resize(5);
  for (int i = 0; i < 5; ++i) {
    firms.id[i] = 100 + i;
    firms.revenue_cny[i] = i;
    firms.alive[i] = (i % 2 == 0);
  }
  TalentArrays talent;
  DealArrays deals;
  compact_agents(firms, talent, deals, Executor(2));
  ASSERT_EQ(firms.size(), 3u);
  firms.visit_columns(
      [](const char*, const auto& column, const char*) { EXPECT_EQ(column.size(), 3u); });
  EXPECT_EQ(firms.id[1], 102);
  EXPECT_EQ(firms.revenue_cny[2], 4.0);
  for (std::size_t i = 0; i < firms.size(); ++i) EXPECT_EQ(firms.alive[i], 1);
}
