#include "clustersim/model/base_data.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>

#include "clustersim/errors.hpp"
#include "clustersim/model/sectors.hpp"

namespace clustersim {

// Defined in the generated embedded_data.cpp (data/parks.csv at build time).
extern const char* const embedded_parks_csv;
extern const char* const embedded_park_sectors_csv;

namespace {

// RFC 4180 fields: commas inside double quotes, "" for a quote.
std::vector<std::string> split_csv_line(const std::string& line, const std::string& where) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) throw DataError(where + ": unterminated quoted field");
  return fields;
}

// The header line, checked for the columns a table needs.
std::vector<std::string> read_header(std::istream& in, const std::string& origin,
                                     std::initializer_list<const char*> required) {
  std::string line;
  if (!std::getline(in, line)) throw DataError(origin + ": empty file; expected a header line");
  const std::vector<std::string> header = split_csv_line(line, origin + ":1");
  for (const char* name : required) {
    if (std::find(header.begin(), header.end(), name) == header.end()) {
      throw DataError(origin + ":1: missing column '" + std::string(name) + "'");
    }
  }
  return header;
}

double parse_number(const std::string& text, const std::string& where, const std::string& column) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value)) {
    throw DataError(where + ", column '" + column + "': value '" + text +
                    "' is not a finite number");
  }
  return value;
}

// Calls row(where, field) for every non-empty data line, where `where` is "file:line" and
// field(name) is the line's value in that column. The header and field counts are checked here.
template <class Row>
void for_each_row(const std::string& text, const std::string& origin,
                  std::initializer_list<const char*> required, Row&& row) {
  std::istringstream in(text);
  const std::vector<std::string> header = read_header(in, origin, required);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
  std::string line;
  int line_number = 1;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line == "\r") continue;
    const std::string where = origin + ":" + std::to_string(line_number);
    const std::vector<std::string> f = split_csv_line(line, where);
    if (f.size() != header.size()) {
      throw DataError(where + ": " + std::to_string(f.size()) + " fields; expected " +
                      std::to_string(header.size()));
    }
    row(where, [&](const char* name) -> const std::string& { return f[column.at(name)]; });
  }
}

}  // namespace

std::vector<ParkRecord> parse_parks_csv(const std::string& text, const std::string& origin) {
  std::vector<ParkRecord> parks;
  std::set<std::string> ids;
  for_each_row(
      text, origin,
      {"id", "name", "name_zh", "district", "area_km2", "longitude", "latitude",
       "leading_industries", "base_revenue_cny"},
      [&](const std::string& where, const auto& field) {
        ParkRecord park;
        park.id = field("id");
        park.name = field("name");
        park.name_zh = field("name_zh");
        park.district = field("district");
        if (park.id.empty())
          throw DataError(where + ", column 'id': empty; expected an identifier");
        if (!ids.insert(park.id).second) {
          throw DataError(where + ", column 'id': value '" + park.id + "' repeats an earlier park");
        }
        park.area_km2 = parse_number(field("area_km2"), where, "area_km2");
        if (park.area_km2 <= 0) {
          throw DataError(where + ", column 'area_km2': value '" + field("area_km2") +
                          "'; expected a positive area");
        }
        park.longitude = parse_number(field("longitude"), where, "longitude");
        park.latitude = parse_number(field("latitude"), where, "latitude");

        const std::string leading = field("leading_industries");
        int named = 0;
        std::istringstream items(leading);
        std::string item;
        while (std::getline(items, item, ';')) {
          if (item.empty()) continue;
          const auto sector = sector_from_name(item);
          if (!sector || !is_leading(*sector)) {
            throw DataError(where + ", column 'leading_industries': value '" + item +
                            "'; expected IC, biomedicine or AI");
          }
          park.leading_mask |= static_cast<std::uint8_t>(1u << *sector);
          ++named;
        }
        if (named > 3) {
          throw DataError(where + ", column 'leading_industries': value '" + leading +
                          "' names more than 3 industries; expected at most 3");
        }
        const std::string revenue = field("base_revenue_cny");
        if (!revenue.empty()) {
          park.base_revenue_cny = parse_number(revenue, where, "base_revenue_cny");
          if (park.base_revenue_cny < 0) {
            throw DataError(where + ", column 'base_revenue_cny': value '" + revenue +
                            "'; expected a non-negative revenue or an empty field");
          }
        }
        parks.push_back(std::move(park));
      });
  if (parks.empty()) throw DataError(origin + ": no parks; expected at least one row");
  if (parks.size() > 32767) throw DataError(origin + ": too many parks");
  return parks;
}

std::vector<CellFigure> parse_cell_figures_csv(const std::string& text, const std::string& origin,
                                               const std::vector<ParkRecord>& parks) {
  std::vector<CellFigure> figures;
  std::set<std::pair<std::size_t, int>> seen;
  for_each_row(
      text, origin, {"park_id", "sector", "base_revenue_cny"},
      [&](const std::string& where, const auto& field) {
        CellFigure figure;
        const std::string& park_id = field("park_id");
        std::size_t p = 0;
        while (p < parks.size() && parks[p].id != park_id) ++p;
        if (p == parks.size()) {
          throw DataError(where + ", column 'park_id': value '" + park_id +
                          "'; expected the id of a park in the park table");
        }
        figure.park = p;
        const auto sector = sector_from_name(field("sector"));
        if (!sector) {
          throw DataError(where + ", column 'sector': value '" + field("sector") +
                          "'; expected IC, biomedicine, AI or other");
        }
        figure.sector = *sector;
        figure.revenue_cny = parse_number(field("base_revenue_cny"), where, "base_revenue_cny");
        if (figure.revenue_cny < 0) {
          throw DataError(where + ", column 'base_revenue_cny': value '" +
                          field("base_revenue_cny") + "'; expected a non-negative revenue");
        }
        if (!seen.insert({p, figure.sector}).second) {
          throw DataError(where + ": park '" + park_id + "' and sector '" + field("sector") +
                          "' repeat an earlier row");
        }
        figures.push_back(figure);
      });
  return figures;
}

const BaseData& default_base_data() {
  static const BaseData data = [] {
    BaseData d;
    d.parks = parse_parks_csv(embedded_parks_csv, "data/parks.csv");
    d.cell_figures =
        parse_cell_figures_csv(embedded_park_sectors_csv, "data/park_sectors.csv", d.parks);
    return d;
  }();
  return data;
}

std::optional<int> sector_from_name(std::string_view name) {
  for (int s = 0; s < sector_count; ++s) {
    if (sector_names[s] == name) return s;
  }
  return std::nullopt;
}

}  // namespace clustersim
