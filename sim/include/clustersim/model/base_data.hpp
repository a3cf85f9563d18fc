#pragma once
// Base-year data (data/*.csv): the park table and the parks' sourced base-year figures. The default
// files are compiled into the library so that a run never depends on where the package was
// installed.

#include <cstdint>
#include <string>
#include <vector>

namespace clustersim {

// The model's base year: figures describing a later year are outcomes the model is judged
// against, so the loader refuses them.
inline constexpr int base_data_year = 2022;

struct ParkRecord {
  std::string id, name, name_zh, district;
  double longitude = 0, latitude = 0;
  std::uint8_t leading_mask = 0;  // bit s set when the park names sector s as leading
  // From data/park_figures.csv: the 2022 values the model uses.
  double area_km2 = 0;
  double base_revenue_cny = 0;  // annual operating revenue, 2022
  double firms = 0, high_tech_firms = 0, employees = 0;
};

// One sourced figure of one park (a row of data/park_figures.csv).
struct ParkFigure {
  std::size_t park = 0;      // index into the park table
  std::string quantity;      // one of park_figure_quantities()
  double value = 0;          // the 2022 value the model uses
  double low = 0, high = 0;  // the band the 2022 value is believed to lie in
  int year = 0;              // the year the source describes (<= base_data_year)
  char certainty = 'L';      // H, M or L
  std::string method, source;
};

// A base-year revenue of one park x sector cell, kept as it is when the other cells are fitted.
struct CellFigure {
  std::size_t park = 0;  // index into the park table
  int sector = 0;
  double revenue_cny = 0;
};

struct BaseData {
  std::vector<ParkRecord> parks;
  std::vector<ParkFigure> figures;
  std::vector<CellFigure> cell_figures;  // the figures of quantity revenue_cny.<sector>
};

// The quantities of data/park_figures.csv; the first five are required for every park.
const std::vector<std::string>& park_figure_quantities();
inline constexpr std::size_t required_park_quantities = 5;

// Parses a park table in the layout of data/parks.csv; `origin` names the file in errors.
std::vector<ParkRecord> parse_parks_csv(const std::string& text, const std::string& origin);

// Parses data/park_figures.csv against a park table and fills the parks' figures. Unknown parks
// and quantities, repeated figures, bands that do not hold the value, years after the base year
// and parks missing a required quantity are errors naming the file, line and column.
BaseData parse_base_data(std::vector<ParkRecord> parks, const std::string& figures_text,
                         const std::string& figures_origin);

// The base data shipped in data/.
const BaseData& default_base_data();
inline const std::vector<ParkRecord>& default_parks() { return default_base_data().parks; }

}  // namespace clustersim
