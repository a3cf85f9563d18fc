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

// A published base-year revenue of one park x sector cell (data/park_sectors.csv), kept as it
// is when the other cells are fitted.
struct CellFigure {
  std::size_t park = 0;  // index into the park table
  int sector = 0;
  double revenue_cny = 0;
};

struct BaseData {
  std::vector<ParkRecord> parks;
  std::vector<CellFigure> cell_figures;
};

// Parses a park table in the layout of data/parks.csv; `origin` names the file in errors.
std::vector<ParkRecord> parse_parks_csv(const std::string& text, const std::string& origin);

// Parses data/park_sectors.csv against a park table (unknown park ids, sectors and repeated
// cells are errors naming the file, line and column).
std::vector<CellFigure> parse_cell_figures_csv(const std::string& text, const std::string& origin,
                                               const std::vector<ParkRecord>& parks);

// The base data shipped in data/.
const BaseData& default_base_data();
inline const std::vector<ParkRecord>& default_parks() { return default_base_data().parks; }

}  // namespace clustersim
