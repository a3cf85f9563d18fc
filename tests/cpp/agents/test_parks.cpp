// Parks (agents/parks.cpp): the industries a park keeps named under the focus lever.
#include <gtest/gtest.h>

#include <vector>

#include "clustersim/agents/parks.hpp"
#include "fixtures.hpp"

using namespace clustersim;
using test_support::ParksBuilder;

TEST(Evaluation, FocusKeepsTheLargestNamedIndustries) {
  Parks parks = ParksBuilder(5).bare().area_km2(10.0).leading_mask(0b111).standing(3).build();
  std::vector<double> revenue(5 * sector_count, 0.0);
  revenue[cell_index(0, 0)] = 1.0;
  revenue[cell_index(0, 1)] = 3.0;
  revenue[cell_index(0, 2)] = 2.0;
  parks.reset_standing(2, revenue);
  EXPECT_FALSE(parks.keeps_named(0, 0));
  EXPECT_TRUE(parks.keeps_named(0, 1));
  EXPECT_TRUE(parks.keeps_named(0, 2));
}
