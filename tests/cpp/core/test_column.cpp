#include <gtest/gtest.h>

#include <vector>

#include "clustersim/agents/firms.hpp"
#include "clustersim/core/column.hpp"
#include "clustersim/phases/compact_agents.hpp"

using namespace clustersim;

TEST(Column, GrowsAndZeroInitialises) {
  Column<double> column;
  column.resize(3);
  EXPECT_EQ(column.size(), 3u);
  for (double v : column) EXPECT_EQ(v, 0.0);
  column.push_back(2.5);
  EXPECT_EQ(column.size(), 4u);
  EXPECT_EQ(column[3], 2.5);
}

TEST(Column, OldBufferOutlivesGrowthWhileShared) {
  Column<int> column;
  column.resize(4);
  column[0] = 7;
  const std::shared_ptr<int[]> held = column.storage();  // as a NumPy view holds it
  column.resize(column.capacity() + 100);                // forces a new buffer
  EXPECT_NE(held.get(), column.data());
  EXPECT_EQ(held[0], 7);  // still readable: no dangling view
  EXPECT_EQ(column[0], 7);
}

TEST(Column, CompactKeepsOrder) {
  Column<int> column;
  for (int i = 0; i < 6; ++i) column.push_back(i);
  const std::vector<int> keep = {1, 0, 1, 1, 0, 1};
  column.compact(keep);
  ASSERT_EQ(column.size(), 4u);
  EXPECT_EQ(column[0], 0);
  EXPECT_EQ(column[1], 2);
  EXPECT_EQ(column[2], 3);
  EXPECT_EQ(column[3], 5);
}

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

TEST(Column, CopiesAreDeep) {
  Column<int> a;
  a.push_back(1);
  Column<int> b = a;
  b[0] = 2;
  EXPECT_EQ(a[0], 1);
  EXPECT_NE(a.data(), b.data());
  Column<int> c = std::move(b);
  EXPECT_EQ(c[0], 2);
  EXPECT_EQ(b.size(), 0u);
}
