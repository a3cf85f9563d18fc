#include "fixtures.hpp"

#include <stdexcept>
#include <string>
#include <utility>

#include "clustersim/model/policy.hpp"

namespace clustersim::test_support {

namespace {

template <class T>
PerIndex<T> constant(T value) {
  return [value](std::size_t) { return value; };
}

}  // namespace

// --- FirmsBuilder

FirmsBuilder& FirmsBuilder::first_id(std::int64_t id) {
  first_id_ = id;
  return *this;
}
FirmsBuilder& FirmsBuilder::park(std::int16_t park) { return this->park(constant(park)); }
FirmsBuilder& FirmsBuilder::park(PerIndex<std::int16_t> park) {
  park_ = std::move(park);
  return *this;
}
FirmsBuilder& FirmsBuilder::sector(Sector sector) { return this->sector(constant(sector)); }
FirmsBuilder& FirmsBuilder::sector(PerIndex<Sector> sector) {
  sector_ = std::move(sector);
  return *this;
}
FirmsBuilder& FirmsBuilder::stage(Stage stage) { return this->stage(constant(stage)); }
FirmsBuilder& FirmsBuilder::stage(PerIndex<Stage> stage) {
  stage_ = std::move(stage);
  return *this;
}
FirmsBuilder& FirmsBuilder::revenue(double cny) { return revenue(constant(cny)); }
FirmsBuilder& FirmsBuilder::revenue(PerIndex<double> cny) {
  revenue_ = std::move(cny);
  return *this;
}
FirmsBuilder& FirmsBuilder::employees(std::int32_t n) { return employees(constant(n)); }
FirmsBuilder& FirmsBuilder::employees(PerIndex<std::int32_t> n) {
  employees_ = std::move(n);
  return *this;
}
FirmsBuilder& FirmsBuilder::productivity(double productivity) {
  return this->productivity(constant(productivity));
}
FirmsBuilder& FirmsBuilder::productivity(PerIndex<double> productivity) {
  productivity_ = std::move(productivity);
  return *this;
}
FirmsBuilder& FirmsBuilder::age_months(std::int32_t months) {
  age_months_ = months;
  return *this;
}
FirmsBuilder& FirmsBuilder::cash(double cny) {
  cash_ = cny;
  return *this;
}
FirmsBuilder& FirmsBuilder::staffing_gap(std::int32_t gap) { return staffing_gap(constant(gap)); }
FirmsBuilder& FirmsBuilder::staffing_gap(PerIndex<std::int32_t> gap) {
  staffing_gap_ = std::move(gap);
  return *this;
}
FirmsBuilder& FirmsBuilder::incubator(std::int32_t id) { return incubator(constant(id)); }
FirmsBuilder& FirmsBuilder::incubator(PerIndex<std::int32_t> id) {
  incubator_ = std::move(id);
  return *this;
}
FirmsBuilder& FirmsBuilder::vc_raised(double cny) { return vc_raised(constant(cny)); }
FirmsBuilder& FirmsBuilder::vc_raised(PerIndex<double> cny) {
  vc_raised_ = std::move(cny);
  return *this;
}

FirmArrays FirmsBuilder::build() const {
  FirmArrays firms;
  firms.resize(n_);
  for (std::size_t i = 0; i < n_; ++i) {
    firms.id[i] = first_id_ + static_cast<std::int64_t>(i);
    firms.park[i] = park_(i);
    firms.sector[i] = static_cast<std::uint8_t>(sector_(i));
    firms.stage[i] = static_cast<std::uint8_t>(stage_(i));
    firms.alive[i] = 1;
    firms.revenue_cny[i] = revenue_(i);
    firms.employees[i] = employees_(i);
    firms.productivity[i] = productivity_(i);
    firms.age_months[i] = age_months_;
    firms.cash_cny[i] = cash_;
    firms.staffing_gap[i] = staffing_gap_(i);
    firms.incubator[i] = incubator_(i);
    firms.vc_raised_cny[i] = vc_raised_(i);
  }
  return firms;
}

// --- TalentBuilder

TalentBuilder& TalentBuilder::first_id(std::int64_t id) {
  first_id_ = id;
  return *this;
}
TalentBuilder& TalentBuilder::park(std::int16_t park) {
  park_ = park;
  return *this;
}
TalentBuilder& TalentBuilder::sector(Sector sector) {
  sector_ = sector;
  return *this;
}
TalentBuilder& TalentBuilder::skill(double skill) { return this->skill(constant(skill)); }
TalentBuilder& TalentBuilder::skill(PerIndex<double> skill) {
  skill_ = std::move(skill);
  return *this;
}
TalentBuilder& TalentBuilder::age_months(std::int32_t months) {
  age_months_ = months;
  return *this;
}
TalentBuilder& TalentBuilder::intent(TalentIntent intent) { return this->intent(constant(intent)); }
TalentBuilder& TalentBuilder::intent(PerIndex<TalentIntent> intent) {
  intent_ = std::move(intent);
  return *this;
}
TalentBuilder& TalentBuilder::employed_by(const FirmArrays& firms, std::int32_t employer) {
  return employed_by(firms, constant(employer));
}
TalentBuilder& TalentBuilder::employed_by(const FirmArrays& firms,
                                          PerIndex<std::int32_t> employer) {
  firms_ = &firms;
  employer_ = std::move(employer);
  return *this;
}

TalentArrays TalentBuilder::build() const {
  TalentArrays talent;
  talent.resize(n_);
  for (std::size_t t = 0; t < n_; ++t) {
    talent.id[t] = first_id_ + static_cast<std::int64_t>(t);
    talent.park[t] = park_;
    talent.sector[t] = static_cast<std::uint8_t>(sector_);
    talent.alive[t] = 1;
    talent.skill[t] = skill_(t);
    talent.employer[t] = -1;
    talent.employer_index[t] = -1;
    talent.age_months[t] = age_months_;
    const std::int32_t f = employer_(t);
    if (f >= 0) {
      const auto row = static_cast<std::size_t>(f);
      if (firms_ == nullptr || row >= firms_->size()) {
        throw std::out_of_range("TalentBuilder: no firm at row " + std::to_string(f));
      }
      talent.employer[t] = firms_->id[row];
      talent.employer_index[t] = f;
      talent.park[t] = firms_->park[row];
      talent.sector[t] = firms_->sector[row];
    }
    const TalentIntent intent = intent_  ? intent_(t)
                                : f >= 0 ? TalentIntent::stay
                                         : TalentIntent::search;
    talent.intent[t] = static_cast<std::uint8_t>(intent);
    talent.target_park[t] = talent.park[t];
  }
  return talent;
}

// --- ParksBuilder

ParksBuilder& ParksBuilder::bare() {
  bare_ = true;
  return *this;
}
ParksBuilder& ParksBuilder::area_km2(double km2) {
  area_set_ = true;
  area_km2_ = km2;
  return *this;
}
ParksBuilder& ParksBuilder::leading_mask(std::uint8_t mask) {
  leading_set_ = true;
  leading_mask_ = mask;
  return *this;
}
ParksBuilder& ParksBuilder::floor_space(double m2) { return floor_space(constant(m2)); }
ParksBuilder& ParksBuilder::floor_space(PerIndex<double> m2) {
  floor_set_ = true;
  floor_space_ = std::move(m2);
  return *this;
}
ParksBuilder& ParksBuilder::distances(double km) {
  distances_set_ = true;
  distance_km_ = km;
  return *this;
}
ParksBuilder& ParksBuilder::standing(std::int64_t max_named,
                                     std::vector<double> base_cell_revenue_cny) {
  standing_set_ = true;
  max_named_ = max_named;
  base_cell_revenue_cny_ = std::move(base_cell_revenue_cny);
  return *this;
}
ParksBuilder& ParksBuilder::removed(std::size_t park) {
  standing_set_ = true;
  removed_.push_back(park);
  return *this;
}

Parks ParksBuilder::build() const {
  Parks parks;
  for (std::size_t k = 0; k < n_; ++k) {
    const std::string id(1, static_cast<char>('a' + k));
    parks.id.push_back(id);
    if (!bare_) {
      parks.name.push_back(id);
      parks.name_zh.push_back(id);
      parks.district.push_back(id);
    }
    if (!bare_ || area_set_) parks.area_km2.push_back(area_km2_);
    if (!bare_) {
      parks.longitude.push_back(121.0);
      parks.latitude.push_back(31.0);
    }
    if (!bare_ || leading_set_) parks.leading_mask.push_back(leading_mask_);
    if (!bare_) parks.base_revenue_cny.push_back(1e9);
    if (!bare_ || floor_set_) parks.floor_space_m2.push_back(floor_space_(k));
  }
  if (distances_set_) {
    parks.distance_km.assign(n_ * n_, distance_km_);
    for (std::size_t k = 0; k < n_; ++k) parks.distance_km[k * n_ + k] = 0.0;
  }
  if (standing_set_) {
    parks.reset_standing(max_named_, base_cell_revenue_cny_.empty()
                                         ? std::vector<double>(n_ * sector_count, 1.0)
                                         : base_cell_revenue_cny_);
    for (const std::size_t k : removed_) {
      parks.in_zone[k] = 0;
      parks.standing[k] = static_cast<std::int8_t>(Standing::removed);
    }
  }
  return parks;
}

// --- CellsBuilder

CellsBuilder& CellsBuilder::occupancy(double occupancy) {
  cells_.occupancy.assign(cells_.occupancy.size(), occupancy);
  return *this;
}
CellsBuilder& CellsBuilder::occupancy(std::size_t park, double occupancy) {
  cells_.occupancy.at(park) = occupancy;
  return *this;
}
CellsBuilder& CellsBuilder::firms(std::size_t park, Sector sector, double firms) {
  cells_.firms.at(cell_index(park, static_cast<int>(sector))) = firms;
  return *this;
}
CellsBuilder& CellsBuilder::talent(std::size_t park, Sector sector, double talent) {
  cells_.talent.at(cell_index(park, static_cast<int>(sector))) = talent;
  return *this;
}
CellsBuilder& CellsBuilder::seeking(std::size_t park, Sector sector, double seeking) {
  cells_.seeking.at(cell_index(park, static_cast<int>(sector))) = seeking;
  return *this;
}
CellsBuilder& CellsBuilder::vacancies(std::size_t park, Sector sector, double vacancies) {
  cells_.vacancies.at(cell_index(park, static_cast<int>(sector))) = vacancies;
  return *this;
}
CellsBuilder& CellsBuilder::chain_leader_log_productivity(std::size_t park, Sector sector,
                                                          double log_pi) {
  cells_.chain_leader_log_productivity.at(cell_index(park, static_cast<int>(sector))) = log_pi;
  return *this;
}

// --- IncubatorsBuilder

IncubatorsBuilder& IncubatorsBuilder::park(std::int16_t park) { return this->park(constant(park)); }
IncubatorsBuilder& IncubatorsBuilder::park(PerIndex<std::int16_t> park) {
  park_ = std::move(park);
  return *this;
}
IncubatorsBuilder& IncubatorsBuilder::sector(Sector sector) {
  sector_ = sector;
  return *this;
}
IncubatorsBuilder& IncubatorsBuilder::capacity(std::int32_t firms) {
  capacity_ = firms;
  return *this;
}
IncubatorsBuilder& IncubatorsBuilder::quality(double log_quality) {
  quality_ = constant(log_quality);
  return *this;
}
IncubatorsBuilder& IncubatorsBuilder::quality(std::vector<double> log_quality) {
  if (log_quality.size() != n_) {
    throw std::invalid_argument("IncubatorsBuilder: one quality per incubator");
  }
  quality_ = [q = std::move(log_quality)](std::size_t k) { return q[k]; };
  return *this;
}

IncubatorArrays IncubatorsBuilder::build() const {
  IncubatorArrays incubators;
  incubators.resize(n_);
  for (std::size_t k = 0; k < n_; ++k) {
    incubators.id[k] = static_cast<std::int64_t>(k);
    incubators.park[k] = park_(k);
    incubators.sector[k] = static_cast<std::uint8_t>(sector_);
    incubators.alive[k] = 1;
    incubators.capacity[k] = capacity_;
    incubators.quality[k] = quality_(k);
  }
  return incubators;
}

// --- FundsBuilder

FundsBuilder& FundsBuilder::size(double cny) {
  size_cny_ = cny;
  return *this;
}

FundArrays FundsBuilder::build() const {
  FundArrays funds;
  funds.resize(kinds_.size());
  for (std::size_t f = 0; f < kinds_.size(); ++f) {
    funds.id[f] = static_cast<std::int64_t>(f);
    funds.kind[f] = static_cast<std::uint8_t>(kinds_[f]);
    funds.alive[f] = 1;
    funds.open[f] = 1;
    funds.sector[f] = 255;
    funds.hard_tech[f] = 1.0;
    funds.first_round[f] = 0;
    funds.last_round[f] = round_count - 1;
    funds.vintage_year[f] = 2022;
    funds.investment_years[f] = 5;
    funds.lifetime_years[f] = 10;
    funds.deals_per_year[f] = 10;
    funds.size_cny[f] = size_cny_;
    funds.parent_firm[f] = -1;
  }
  return funds;
}

// --- Shared shapes

FirmsBuilder hiring_firms(std::size_t n, std::int32_t vacancies) {
  FirmsBuilder firms(n);
  firms.first_id(100)
      .stage(Stage::startup)
      .age_months(0)
      .employees(0)
      .productivity([](std::size_t i) { return 1.0 + static_cast<double>(i); })
      .staffing_gap(vacancies)
      .cash(1e6);
  return firms;
}

FirmsBuilder new_firms(std::size_t n) {
  FirmsBuilder firms(n);
  firms.stage(Stage::startup).age_months(0).revenue(1e6).employees(1).cash(1e6);
  return firms;
}

FirmsBuilder vc_seeker(double productivity) {
  FirmsBuilder firms = vc_seekers(1);
  firms.first_id(42).productivity(productivity);
  return firms;
}

FirmsBuilder vc_seekers(std::size_t n) {
  FirmsBuilder firms(n);
  firms.first_id(1000)
      .stage(Stage::startup)
      .age_months(24)
      .revenue(2e7)
      .productivity(4.0)
      .cash(1e6);
  return firms;
}

TalentBuilder seekers(std::size_t n) {
  TalentBuilder talent(n);
  talent.skill([](std::size_t t) { return 0.1 * static_cast<double>(t); });
  return talent;
}

// --- Scenarios

Scenario quiet_growth(double drift) {
  Scenario s;
  s.set("firms.growth.drift", drift);
  s.set("firms.growth.productivity_effect", 0.0);
  s.set("firms.growth.agglomeration_effect", 0.0);
  s.set("firms.growth.young_bonus", 0.0);
  s.set("firms.growth.volatility_ref", 0.0);
  s.set("firms.growth.volatility_min", 0.0);
  s.set("firms.productivity.volatility", 0.0);
  return s;
}

Scenario eager_vc() {
  Scenario s;
  s.set("vc.seek_rate", 12.0);  // monthly probability 1: every eligible firm seeks
  s.set("vc.signal_noise", 0.0);
  return s;
}

std::vector<double> flat_momentum(std::size_t parks) {
  return std::vector<double>(parks * sector_count, 0.0);
}

}  // namespace clustersim::test_support
