#include "clustersim/model/base_data.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <map>
#include <set>
#include <sstream>

#include "clustersim/errors.hpp"
#include "clustersim/model/sectors.hpp"
#include "clustersim/scenario/parameters.hpp"

namespace clustersim {

// Defined in the generated generated.cpp (the data/ files at build time).
extern const char* const embedded_parks_csv;
extern const char* const embedded_park_figures_csv;

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
      {"id", "name", "name_zh", "district", "longitude", "latitude", "leading_industries"},
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
        parks.push_back(std::move(park));
      });
  if (parks.empty()) throw DataError(origin + ": no parks; expected at least one row");
  if (parks.size() > 32767) throw DataError(origin + ": too many parks");
  return parks;
}

const std::vector<std::string>& park_figure_quantities() {
  static const std::vector<std::string> quantities = {"area_km2",
                                                      "revenue_cny",
                                                      "firms",
                                                      "high_tech_firms",
                                                      "employees",
                                                      "revenue_cny.IC",
                                                      "revenue_cny.biomedicine",
                                                      "revenue_cny.AI",
                                                      "revenue_cny.other"};
  return quantities;
}

BaseData parse_base_data(std::vector<ParkRecord> parks, const std::string& figures_text,
                         const std::string& figures_origin) {
  BaseData data;
  const std::vector<std::string>& quantities = park_figure_quantities();
  std::set<std::pair<std::size_t, std::string>> seen;
  for_each_row(
      figures_text, figures_origin,
      {"park_id", "quantity", "value", "low", "high", "year", "certainty", "method", "source"},
      [&](const std::string& where, const auto& field) {
        ParkFigure figure;
        const std::string& park_id = field("park_id");
        std::size_t p = 0;
        while (p < parks.size() && parks[p].id != park_id) ++p;
        if (p == parks.size()) {
          throw DataError(where + ", column 'park_id': value '" + park_id +
                          "'; expected the id of a park in the park table");
        }
        figure.park = p;
        figure.quantity = field("quantity");
        const auto known = std::find(quantities.begin(), quantities.end(), figure.quantity);
        if (known == quantities.end()) {
          throw DataError(where + ", column 'quantity': value '" + figure.quantity +
                          "'; expected area_km2, revenue_cny, revenue_cny.<sector>, firms, "
                          "high_tech_firms or employees");
        }
        if (!seen.insert({p, figure.quantity}).second) {
          throw DataError(where + ": park '" + park_id + "' and quantity '" + figure.quantity +
                          "' repeat an earlier row");
        }
        figure.value = parse_number(field("value"), where, "value");
        figure.low = parse_number(field("low"), where, "low");
        figure.high = parse_number(field("high"), where, "high");
        if (figure.value < 0 || (figure.quantity == "area_km2" && figure.value <= 0)) {
          throw DataError(
              where + ", column 'value': value '" + field("value") + "'; expected a " +
              (figure.quantity == "area_km2" ? "positive area" : "non-negative figure"));
        }
        if (!(figure.low <= figure.value && figure.value <= figure.high)) {
          throw DataError(where + ", columns 'low' and 'high': band [" + field("low") + ", " +
                          field("high") + "] does not hold the value " + field("value") +
                          "; expected low <= value <= high");
        }
        const double year = parse_number(field("year"), where, "year");
        if (year != std::floor(year) || year < 1949 || year > base_data_year) {
          throw DataError(where + ", column 'year': value '" + field("year") +
                          "'; expected a year up to " + std::to_string(base_data_year) +
                          " (later figures are outcomes the model is judged against)");
        }
        figure.year = static_cast<int>(year);
        const std::string& certainty = field("certainty");
        if (certainty != "H" && certainty != "M" && certainty != "L") {
          throw DataError(where + ", column 'certainty': value '" + certainty +
                          "'; expected H, M or L");
        }
        figure.certainty = certainty[0];
        figure.method = field("method");
        figure.source = field("source");
        for (const char* column : {"method", "source"}) {
          if (field(column).empty()) {
            throw DataError(where + ", column '" + std::string(column) +
                            "': empty; every figure names its " + column);
          }
        }
        ParkRecord& park = parks[p];
        if (figure.quantity == "area_km2") park.area_km2 = figure.value;
        if (figure.quantity == "revenue_cny") park.base_revenue_cny = figure.value;
        if (figure.quantity == "firms") park.firms = figure.value;
        if (figure.quantity == "high_tech_firms") park.high_tech_firms = figure.value;
        if (figure.quantity == "employees") park.employees = figure.value;
        if (figure.quantity.rfind("revenue_cny.", 0) == 0) {
          data.cell_figures.push_back(
              {p, *sector_from_name(figure.quantity.substr(12)), figure.value});
        }
        data.figures.push_back(std::move(figure));
      });
  for (std::size_t p = 0; p < parks.size(); ++p) {
    for (std::size_t q = 0; q < required_park_quantities; ++q) {
      if (!seen.count({p, quantities[q]})) {
        throw DataError(figures_origin + ": park '" + parks[p].id + "' has no '" + quantities[q] +
                        "' row; expected one for every park");
      }
    }
    double sectors = 0.0;
    for (const CellFigure& cell : data.cell_figures) {
      if (cell.park == p) sectors += cell.revenue_cny;
    }
    if (sectors > parks[p].base_revenue_cny * (1 + 1e-12)) {
      throw DataError(figures_origin + ": park '" + parks[p].id + "': its sector revenues (" +
                      format_value(sectors) + " CNY) exceed its revenue_cny (" +
                      format_value(parks[p].base_revenue_cny) + " CNY)");
    }
  }
  data.parks = std::move(parks);
  return data;
}

const BaseData& default_base_data() {
  static const BaseData data =
      parse_base_data(parse_parks_csv(embedded_parks_csv, "data/parks.csv"),
                      embedded_park_figures_csv, "data/park_figures.csv");
  return data;
}

std::optional<int> sector_from_name(std::string_view name) {
  for (int s = 0; s < sector_count; ++s) {
    if (sector_names[s] == name) return s;
  }
  return std::nullopt;
}

}  // namespace clustersim
