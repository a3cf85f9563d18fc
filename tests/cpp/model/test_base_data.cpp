#include <gtest/gtest.h>

#include "clustersim/errors.hpp"
#include "clustersim/model/base_data.hpp"
#include "clustersim/model/sectors.hpp"

using namespace clustersim;

TEST(BaseData, DefaultParkTableHasTheTwentyTwoParks) {
  const auto& parks = default_parks();
  ASSERT_EQ(parks.size(), 22u);
  EXPECT_EQ(parks.front().id, "core");
  EXPECT_EQ(parks.front().name_zh, "张江核心园");
  EXPECT_DOUBLE_EQ(parks.front().area_km2, 79.7);
  EXPECT_DOUBLE_EQ(parks.front().base_revenue_cny, 1.178e12);
  double area = 0;
  for (const ParkRecord& park : parks) {
    int leading = 0;
    for (int s = 0; s < 3; ++s) leading += (park.leading_mask >> s) & 1;
    EXPECT_LE(leading, 3) << park.id;                 // "one park, one speciality": at most 3
    EXPECT_EQ(park.leading_mask >> 3, 0) << park.id;  // only leading industries may be named
    area += park.area_km2;
  }
  EXPECT_NEAR(area, 531.0, 0.01);  // the zone's planned area (CALIBRATION.md)
}

std::string header() {
  return "id,name,name_zh,district,area_km2,longitude,latitude,leading_industries,base_revenue_"
         "cny\n";
}

void expect_data_error(const std::string& body, const std::string& fragment) {
  try {
    parse_parks_csv(header() + body, "parks.csv");
    FAIL() << "accepted: " << body;
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(BaseData, ParsesQuotedFields) {
  const auto parks =
      parse_parks_csv(header() + "a,\"Park, A\",甲,X,1.5,121,31,IC;AI,\n", "parks.csv");
  ASSERT_EQ(parks.size(), 1u);
  EXPECT_EQ(parks[0].name, "Park, A");
  EXPECT_EQ(parks[0].leading_mask, (1u << 0) | (1u << 2));
  EXPECT_LT(parks[0].base_revenue_cny, 0);  // blank: allocated by area
}

TEST(BaseData, RejectsMalformedTablesNamingLineAndColumn) {
  expect_data_error("a,A,甲,X,1,121,31,IC;AI;biomedicine;IC,\n", "more than 3");
  expect_data_error("a,A,甲,X,1,121,31,steel,\n", "parks.csv:2, column 'leading_industries'");
  expect_data_error("a,A,甲,X,-1,121,31,IC,\n", "positive area");
  expect_data_error("a,A,甲,X,big,121,31,IC,\n", "column 'area_km2': value 'big'");
  expect_data_error("a,A,甲,X,1,121,31,IC,\na,B,乙,Y,1,121,31,AI,\n", "parks.csv:3");
  expect_data_error("a,A,甲,X,1,121\n", "fields; expected 9");
  expect_data_error("a,A,甲,X,1,121,31,IC,-5\n", "non-negative revenue");
  expect_data_error("a,\"A,甲,X,1,121,31,IC,\n", "unterminated");
  expect_data_error("", "no parks");
  EXPECT_THROW(parse_parks_csv("", "parks.csv"), DataError);
  EXPECT_THROW(parse_parks_csv("id,name\n", "parks.csv"), DataError);
}

TEST(BaseData, DefaultCellFiguresNameKnownParksAndSectors) {
  const BaseData& data = default_base_data();
  ASSERT_FALSE(data.cell_figures.empty());
  EXPECT_EQ(data.parks[data.cell_figures[0].park].id, "core");
  EXPECT_EQ(data.cell_figures[0].sector, static_cast<int>(Sector::ic));
  EXPECT_DOUBLE_EQ(data.cell_figures[0].revenue_cny, 2.011e11);
}

TEST(BaseData, RejectsBadCellFigures) {
  const auto& parks = default_parks();
  const std::string head = "park_id,sector,base_revenue_cny\n";
  auto refused = [&](const std::string& body, const std::string& fragment) {
    try {
      parse_cell_figures_csv(head + body, "park_sectors.csv", parks);
      ADD_FAILURE() << "accepted: " << body;
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  refused("atlantis,IC,1\n", "column 'park_id': value 'atlantis'");
  refused("core,steel,1\n", "column 'sector': value 'steel'");
  refused("core,IC,-1\n", "non-negative");
  refused("core,IC,1\ncore,IC,2\n", "park_sectors.csv:3");
  EXPECT_THROW(parse_cell_figures_csv("sector\n", "x.csv", parks), DataError);
}
