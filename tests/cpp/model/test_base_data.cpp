#include <gtest/gtest.h>

#include <set>

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
  std::set<double> revenues;
  for (const ParkRecord& park : parks) {
    int leading = 0;
    for (int s = 0; s < 3; ++s) leading += (park.leading_mask >> s) & 1;
    EXPECT_LE(leading, 3) << park.id;                 // "one park, one speciality": at most 3
    EXPECT_EQ(park.leading_mask >> 3, 0) << park.id;  // only leading industries may be named
    EXPECT_GT(park.firms, 0) << park.id;
    EXPECT_GT(park.employees, 0) << park.id;
    area += park.area_km2;
    revenues.insert(park.base_revenue_cny);
  }
  EXPECT_NEAR(area, 531.0, 0.01);            // the zone's planned area (CALIBRATION.md)
  EXPECT_EQ(revenues.size(), parks.size());  // no two parks share a base revenue
}

const char* const figures_header = "park_id,quantity,value,low,high,year,certainty,method,source\n";

// A one-park table with every required figure, then `extra` rows.
std::string figures(const std::string& extra) {
  std::string text = figures_header;
  for (const char* q : {"area_km2", "revenue_cny", "firms", "high_tech_firms", "employees"}) {
    text += std::string("a,") + q + ",10,5,20,2022,L,rule,src\n";
  }
  return text + extra;
}

std::vector<ParkRecord> one_park() {
  return parse_parks_csv(
      "id,name,name_zh,district,longitude,latitude,leading_industries\n"
      "a,A,甲,X,121,31,IC\n",
      "parks.csv");
}

void expect_data_error(const std::string& body, const std::string& fragment) {
  try {
    parse_parks_csv("id,name,name_zh,district,longitude,latitude,leading_industries\n" + body,
                    "parks.csv");
    FAIL() << "accepted: " << body;
  } catch (const DataError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(BaseData, ParsesQuotedFields) {
  const auto parks = parse_parks_csv(
      "id,name,name_zh,district,longitude,latitude,leading_industries\n"
      "a,\"Park, A\",甲,X,121,31,IC;AI\n",
      "parks.csv");
  ASSERT_EQ(parks.size(), 1u);
  EXPECT_EQ(parks[0].name, "Park, A");
  EXPECT_EQ(parks[0].leading_mask, (1u << 0) | (1u << 2));
}

TEST(BaseData, RejectsMalformedTablesNamingLineAndColumn) {
  expect_data_error("a,A,甲,X,121,31,IC;AI;biomedicine;IC\n", "more than 3");
  expect_data_error("a,A,甲,X,121,31,steel\n", "parks.csv:2, column 'leading_industries'");
  expect_data_error("a,A,甲,X,east,31,IC\n", "column 'longitude': value 'east'");
  expect_data_error("a,A,甲,X,121,31,IC\na,B,乙,Y,121,31,AI\n", "parks.csv:3");
  expect_data_error("a,A,甲,X,121\n", "fields; expected 7");
  expect_data_error("a,\"A,甲,X,121,31,IC\n", "unterminated");
  expect_data_error("", "no parks");
  EXPECT_THROW(parse_parks_csv("", "parks.csv"), DataError);
  EXPECT_THROW(parse_parks_csv("id,name\n", "parks.csv"), DataError);
}

TEST(BaseData, FiguresFillTheParks) {
  const BaseData data =
      parse_base_data(one_park(), figures("a,revenue_cny.IC,4,3,5,2021,H,own,src\n"), "f.csv");
  ASSERT_EQ(data.parks.size(), 1u);
  EXPECT_DOUBLE_EQ(data.parks[0].base_revenue_cny, 10);
  EXPECT_DOUBLE_EQ(data.parks[0].firms, 10);
  ASSERT_EQ(data.cell_figures.size(), 1u);
  EXPECT_EQ(data.cell_figures[0].sector, static_cast<int>(Sector::ic));
  EXPECT_DOUBLE_EQ(data.cell_figures[0].revenue_cny, 4);
  EXPECT_EQ(data.figures.size(), 6u);
  EXPECT_EQ(data.figures.back().year, 2021);
  EXPECT_EQ(data.figures.back().certainty, 'H');
}

TEST(BaseData, DefaultFiguresCarrySourcesAndBands) {
  const BaseData& data = default_base_data();
  ASSERT_FALSE(data.cell_figures.empty());
  EXPECT_EQ(data.parks[data.cell_figures[0].park].id, "core");
  EXPECT_EQ(data.cell_figures[0].sector, static_cast<int>(Sector::ic));
  EXPECT_DOUBLE_EQ(data.cell_figures[0].revenue_cny, 2.011e11);
  for (const ParkFigure& figure : data.figures) {
    EXPECT_LE(figure.year, base_data_year);
    EXPECT_FALSE(figure.source.empty());
    EXPECT_LE(figure.low, figure.value);
    EXPECT_GE(figure.high, figure.value);
  }
}

TEST(BaseData, RejectsBadFiguresNamingLineAndColumn) {
  auto refused = [&](const std::string& text, const std::string& fragment) {
    try {
      parse_base_data(one_park(), text, "f.csv");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const DataError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
    }
  };
  refused(figures("atlantis,firms,1,1,1,2022,L,r,s\n"), "column 'park_id': value 'atlantis'");
  refused(figures("a,steel,1,1,1,2022,L,r,s\n"), "column 'quantity': value 'steel'");
  refused(figures("a,revenue_cny.AI,-1,-2,1,2022,L,r,s\n"), "non-negative");
  refused(figures("a,revenue_cny.AI,1,2,3,2022,L,r,s\n"), "does not hold the value 1");
  refused(figures("a,revenue_cny.AI,1,1,1,2023,L,r,s\n"), "f.csv:7, column 'year': value '2023'");
  refused(figures("a,revenue_cny.AI,1,1,1,2022,X,r,s\n"), "expected H, M or L");
  refused(figures("a,revenue_cny.AI,1,1,1,2022,L,r,\n"), "column 'source': empty");
  refused(figures("a,revenue_cny.AI,11,1,11,2022,L,r,s\n"), "exceed its revenue_cny");
  refused(figures("a,firms,1,1,1,2022,L,r,s\n"), "f.csv:7: park 'a' and quantity 'firms' repeat");
  refused(std::string(figures_header) + "a,firms,1,1,1,2022,L,r,s\n", "has no 'area_km2' row");
  refused("park_id,quantity\n", "missing column 'value'");
}
