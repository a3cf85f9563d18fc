#include "clustersim/model/series.hpp"

namespace clustersim {

const std::vector<SeriesInfo>& SeriesBook::catalogue() {
  static const std::vector<SeriesInfo> series = {
      {"revenue_cny", "CNY/year", true, "annualised revenue of living firms at the month's end"},
      {"firms", "firms", true, "living firms at the month's end"},
      {"employees", "persons", true, "employees of living firms at the month's end"},
      {"entries", "firms/month", true, "firms founded during the month"},
      {"exits", "firms/month", true, "firms that exited during the month"},
      {"floor_space_m2", "m2", false, "floor space available to firms"},
      {"used_floor_space_m2", "m2", false, "floor space used by firms' employees"},
  };
  return series;
}

SeriesBook::SeriesBook(std::size_t parks) : parks_(parks) {
  for (const SeriesInfo& info : catalogue()) values_[info.name];
}

void SeriesBook::record(int year, int month, const Parks& parks, const CellStats& cells,
                        const std::vector<double>& entries, const std::vector<double>& exits) {
  year_.push_back(year);
  month_.push_back(month);
  auto append = [this](const std::string& name, const std::vector<double>& row) {
    auto& column = values_.at(name);
    column.insert(column.end(), row.begin(), row.end());
  };
  append("revenue_cny", cells.revenue_cny);
  append("firms", cells.firms);
  append("employees", cells.employees);
  append("entries", entries);
  append("exits", exits);
  append("floor_space_m2", parks.floor_space_m2);
  append("used_floor_space_m2", cells.used_floor_space_m2);
}

}  // namespace clustersim
