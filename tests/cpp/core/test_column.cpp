#include <gtest/gtest.h>

#include <vector>

#include "clustersim/core/column.hpp"

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
