#pragma once
// Base-year data (data/*.csv): the park table. The default files are compiled into the library so
// that a run never depends on where the package was installed.

#include <cstdint>
#include <string>
#include <vector>

namespace clustersim {

struct ParkRecord {
  std::string id, name, name_zh, district;
  double area_km2 = 0;
  double longitude = 0, latitude = 0;
  std::uint8_t leading_mask = 0;  // bit s set when the park names sector s as leading
  double base_revenue_cny = -1;   // negative: not published, allocated by area
};

// Parses a park table in the layout of data/parks.csv; `origin` names the file in errors.
std::vector<ParkRecord> parse_parks_csv(const std::string& text, const std::string& origin);

// The park table shipped in data/parks.csv.
const std::vector<ParkRecord>& default_parks();

}  // namespace clustersim
