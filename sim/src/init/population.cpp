#include "clustersim/init/population.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>
#include <functional>
#include <numeric>

#include "clustersim/core/random.hpp"
#include "clustersim/errors.hpp"
#include "clustersim/model/rules.hpp"
#include "clustersim/phases/admit_to_incubators.hpp"
#include "clustersim/phases/measure_cells.hpp"

namespace clustersim {
namespace {

// Splits `total` in proportion to `weights`: floors first, then one each to the largest
// fractional remainders (ties: lower index first).
std::vector<std::int64_t> largest_remainders(const std::vector<double>& weights,
                                             std::int64_t total) {
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<std::int64_t> shares(weights.size(), 0);
  if (sum <= 0.0) return shares;
  std::vector<std::pair<double, std::size_t>> remainders;
  std::int64_t assigned = 0;
  for (std::size_t c = 0; c < weights.size(); ++c) {
    const double exact = static_cast<double>(total) * weights[c] / sum;
    shares[c] = static_cast<std::int64_t>(std::floor(exact));
    assigned += shares[c];
    remainders.emplace_back(exact - std::floor(exact), c);
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  for (std::size_t k = 0; assigned < total && k < remainders.size(); ++k, ++assigned) {
    ++shares[remainders[k].second];
  }
  return shares;
}

Parks build_parks(const std::vector<ParkRecord>& records) {
  Parks parks;
  for (const ParkRecord& r : records) {
    parks.id.push_back(r.id);
    parks.name.push_back(r.name);
    parks.name_zh.push_back(r.name_zh);
    parks.district.push_back(r.district);
    parks.area_km2.push_back(r.area_km2);
    parks.longitude.push_back(r.longitude);
    parks.latitude.push_back(r.latitude);
    parks.leading_mask.push_back(r.leading_mask);
    parks.base_revenue_cny.push_back(r.base_revenue_cny);
  }
  parks.floor_space_m2.assign(records.size(), 0.0);
  // Great-circle (haversine) distances between the parks' centres.
  const std::size_t n = records.size();
  parks.distance_km.assign(n * n, 0.0);
  constexpr double earth_radius_km = 6371.0, radians = 3.14159265358979323846 / 180.0;
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      const double dlat = (parks.latitude[b] - parks.latitude[a]) * radians;
      const double dlon = (parks.longitude[b] - parks.longitude[a]) * radians;
      const double h =
          std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(parks.latitude[a] * radians) *
                                                        std::cos(parks.latitude[b] * radians) *
                                                        std::sin(dlon / 2) * std::sin(dlon / 2);
      parks.distance_km[a * n + b] = 2 * earth_radius_km * std::asin(std::sqrt(std::min(1.0, h)));
    }
  }
  return parks;
}

IncubatorArrays generate_incubators(FirmArrays& firms, const Parks& parks,
                                    const ModelParameters& params, std::uint64_t seed) {
  IncubatorArrays incubators;
  if (params.incubators_count == 0) return incubators;
  const auto count = static_cast<std::size_t>(std::max<long long>(
      1, std::llround(static_cast<double>(params.incubators_count) * params.scale)));

  // Parks get incubators in proportion to their leading-sector firms (largest remainders).
  std::vector<double> leading_firms(parks.size(), 0.0);
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (is_leading(firms.sector[i])) leading_firms[static_cast<std::size_t>(firms.park[i])] += 1.0;
  }
  const std::vector<std::int64_t> per_park =
      largest_remainders(leading_firms, static_cast<std::int64_t>(count));
  if (std::accumulate(per_park.begin(), per_park.end(), std::int64_t{0}) == 0) {
    return incubators;  // no leading-sector firm anywhere: no incubators to place
  }

  incubators.resize(count);
  std::size_t k = 0;
  for (std::size_t park = 0; park < parks.size(); ++park) {
    // Focus: the park's named leading industries in turn, else its largest leading sector.
    std::vector<int> focus;
    for (int s = 0; s < 3; ++s) {
      if (parks.names_leading(park, s)) focus.push_back(s);
    }
    if (focus.empty()) {
      std::array<double, 3> by_sector{};
      for (std::size_t i = 0; i < firms.size(); ++i) {
        if (static_cast<std::size_t>(firms.park[i]) == park && is_leading(firms.sector[i])) {
          by_sector[firms.sector[i]] += 1.0;
        }
      }
      focus.push_back(static_cast<int>(std::max_element(by_sector.begin(), by_sector.end()) -
                                       by_sector.begin()));
    }
    for (std::int64_t j = 0; j < per_park[park]; ++j, ++k) {
      Stream stream(seed, k, 0, Purpose::initial_incubators);
      boost::random::poisson_distribution<std::int32_t, double> capacity(
          params.incubators_mean_capacity);
      boost::random::normal_distribution<double> quality(0.0, params.incubators_quality_sd);
      incubators.id[k] = static_cast<std::int64_t>(k);
      incubators.park[k] = static_cast<std::int16_t>(park);
      incubators.sector[k] =
          static_cast<std::uint8_t>(focus[static_cast<std::size_t>(j) % focus.size()]);
      incubators.alive[k] = 1;
      incubators.capacity[k] = std::max(1, capacity(stream));
      incubators.quality[k] = quality(stream);
    }
  }
  // The best by quality hold the high-quality status at the start.
  std::vector<std::size_t> order(count);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return incubators.quality[a] > incubators.quality[b];
  });
  // At least one high-quality incubator in a sample if the zone has any.
  const auto initial_high =
      params.incubators_initial_high_quality > 0
          ? static_cast<std::size_t>(std::max<long long>(
                1, std::llround(static_cast<double>(params.incubators_initial_high_quality) *
                                params.scale)))
          : std::size_t{0};
  for (std::size_t r = 0; r < std::min(initial_high, count); ++r) {
    incubators.high_quality[order[r]] = 1;
    incubators.years_meeting[order[r]] = static_cast<std::int32_t>(params.incubators_status_years);
  }
  // Young leading-sector start-ups already in incubators, in firm order.
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (!is_leading(firms.sector[i]) ||
        firms.stage[i] != static_cast<std::uint8_t>(Stage::startup) ||
        firms.age_months[i] >= params.incubators_incubation_months) {
      continue;
    }
    Stream stream(seed, static_cast<std::uint64_t>(firms.id[i]), 0, Purpose::incubation);
    if (stream.uniform01() >= params.incubators_admission_share) continue;
    const std::int32_t best = best_incubator_with_room(incubators, firms.park[i], firms.sector[i]);
    if (best < 0) continue;
    firms.incubator[i] = best;
    firms.incubated_months[i] = firms.age_months[i];
    incubators.occupants[static_cast<std::size_t>(best)] += 1;
  }
  return incubators;
}

}  // namespace

std::vector<double> base_cell_revenue(const Parks& parks, const std::vector<CellFigure>& figures,
                                      const ModelParameters& params) {
  const auto n_parks = static_cast<Eigen::Index>(parks.size());
  const Eigen::Vector3d city(params.city_ic_cny, params.city_biomedicine_cny, params.city_ai_cny);
  Eigen::VectorXd sector_total(sector_count);
  for (std::size_t s = 0; s < leading_count; ++s) {
    sector_total(static_cast<Eigen::Index>(s)) =
        zone_share(params, s) * city(static_cast<Eigen::Index>(s));
  }
  Eigen::VectorXd park_total =
      Eigen::Map<const Eigen::VectorXd>(parks.base_revenue_cny.data(), n_parks);
  sector_total(3) = park_total.sum() - sector_total.head<3>().sum();
  if (sector_total(3) < 0) {
    throw ScenarioError("population.zone_ic_share", format_value(params.zone_ic_share),
                        "shares leaving the zone's leading industries (" +
                            format_value(sector_total.head<3>().sum()) +
                            " CNY at population.zone_*_share) within the parks' revenue (" +
                            format_value(park_total.sum()) + " CNY, data/park_figures.csv)");
  }

  // Published cells are kept: the fit shares out what the park and sector totals leave.
  Eigen::MatrixXd fixed = Eigen::MatrixXd::Zero(n_parks, sector_count);
  for (const CellFigure& figure : figures) {
    fixed(static_cast<Eigen::Index>(figure.park), figure.sector) = figure.revenue_cny;
  }
  for (Eigen::Index p = 0; p < n_parks; ++p) {
    if (fixed.row(p).sum() > park_total(p) * (1 + 1e-12)) {
      throw DataError("park '" + parks.id[static_cast<std::size_t>(p)] + "': sector revenues (" +
                      format_value(fixed.row(p).sum()) + " CNY) above the park's revenue (" +
                      format_value(park_total(p)) + " CNY)");
    }
  }
  for (int s = 0; s < sector_count; ++s) {
    if (fixed.col(s).sum() > sector_total(s) * (1 + 1e-12)) {
      // Only a leading sector's total is set by a share; `other` is what the parks leave.
      const std::size_t leading = is_leading(s) ? static_cast<std::size_t>(s) : 0;
      throw ScenarioError(zone_share_key(leading), format_value(zone_share(params, leading)),
                          "a value giving the zone at least the published " +
                              std::string(sector_names[s]) + " revenue of its parks (" +
                              format_value(fixed.col(s).sum()) + " CNY, data/park_figures.csv)");
    }
  }
  park_total -= fixed.rowwise().sum();
  sector_total -= fixed.colwise().sum().transpose();

  // Prior: a park's revenue, down-weighted in leading sectors it does not name.
  Eigen::MatrixXd cell(n_parks, sector_count);
  for (Eigen::Index p = 0; p < n_parks; ++p) {
    for (int s = 0; s < sector_count; ++s) {
      const bool named = !is_leading(s) || parks.names_leading(static_cast<std::size_t>(p), s);
      const bool published = fixed(p, s) > 0.0;
      cell(p, s) = published ? 0.0 : park_total(p) * (named ? 1.0 : params.non_leading_park_weight);
    }
  }
  for (int s = 0; s < sector_count; ++s) {
    if (cell.col(s).sum() == 0.0 && sector_total(s) > 0.0) {
      throw ScenarioError("population.non_leading_park_weight",
                          format_value(params.non_leading_park_weight),
                          "a positive weight: no park names " + std::string(sector_names[s]) +
                              " as a leading industry");
    }
  }
  // Iterative proportional fitting to the sector (column) and park (row) totals.
  double worst = 1.0;
  for (int iteration = 0; iteration < 500 && worst >= 1e-12; ++iteration) {
    const Eigen::VectorXd column = cell.colwise().sum().transpose();
    for (int s = 0; s < sector_count; ++s) {
      if (column(s) > 0.0) cell.col(s) *= sector_total(s) / column(s);
    }
    const Eigen::VectorXd row = cell.rowwise().sum();
    worst = 0.0;
    for (Eigen::Index p = 0; p < n_parks; ++p) {
      if (row(p) <= 0.0) continue;
      worst = std::max(worst, std::abs(park_total(p) / row(p) - 1.0));
      cell.row(p) *= park_total(p) / row(p);
    }
  }
  if (worst >= 1e-6) {
    throw ScenarioError("population.non_leading_park_weight",
                        format_value(params.non_leading_park_weight),
                        "park and sector totals that can be fitted together (the fit is still " +
                            format_value(worst) + " off after 500 iterations)");
  }
  cell += fixed;
  std::vector<double> flat(parks.size() * sector_count);
  for (Eigen::Index p = 0; p < n_parks; ++p) {
    for (int s = 0; s < sector_count; ++s) {
      flat[cell_index(static_cast<std::size_t>(p), s)] = cell(p, s);
    }
  }
  return flat;
}

std::vector<double> base_cell_revenue(const BaseData& data, const ModelParameters& params) {
  return base_cell_revenue(build_parks(data.parks), data.cell_figures, params);
}

std::vector<std::int64_t> base_cell_agents(const std::vector<double>& cell_revenue,
                                           const std::vector<double>& park_firms,
                                           const ModelParameters& params) {
  const auto target = static_cast<std::int64_t>(
      std::llround(static_cast<double>(params.firms_total) * params.scale));
  const std::vector<std::int64_t> per_park = largest_remainders(park_firms, target);
  std::vector<std::int64_t> agents(cell_revenue.size(), 0);
  for (std::size_t k = 0; k < park_firms.size(); ++k) {
    const std::vector<double> row(cell_revenue.begin() + cell_index(k, 0),
                                  cell_revenue.begin() + cell_index(k, 0) + sector_count);
    const std::vector<std::int64_t> split = largest_remainders(row, per_park[k]);
    for (int s = 0; s < sector_count; ++s) {
      const std::size_t c = cell_index(k, s);
      agents[c] = (cell_revenue[c] > 0.0 && split[s] == 0) ? 1 : split[s];
    }
  }
  return agents;
}

double january_run_rate_factor(double growth) {
  // Month m's revenue is recorded after its step, m months of growth after the start.
  double months = 0.0;
  for (int m = 1; m <= 12; ++m) months += std::exp(growth * m / months_per_year);
  return months_per_year / months;
}

void seed_unicorns(FirmArrays& firms, const ModelParameters& params, std::uint64_t seed) {
  auto sampled = [&](double full_scale) {
    return static_cast<std::size_t>(std::max(0LL, std::llround(full_scale * params.scale)));
  };
  const std::size_t unicorns = sampled(params.initial_unicorns);
  const std::size_t potential = sampled(params.initial_potential_unicorns);
  if (unicorns + potential == 0) return;
  // Candidates: firms young enough for the lists, the largest first (ties: the lower id). The
  // lists hold no revenue, so the largest young firms stand in for the most valuable.
  std::vector<std::size_t> young;
  for (std::size_t i = 0; i < firms.size(); ++i) {
    if (young_enough_for_unicorn_lists(firms.age_months[i], params)) young.push_back(i);
  }
  const std::size_t chosen = std::min(unicorns + potential, young.size());
  std::partial_sort(young.begin(), young.begin() + static_cast<std::ptrdiff_t>(chosen), young.end(),
                    [&](std::size_t a, std::size_t b) {
                      return firms.revenue_cny[a] != firms.revenue_cny[b]
                                 ? firms.revenue_cny[a] > firms.revenue_cny[b]
                                 : firms.id[a] < firms.id[b];
                    });
  const double threshold = unicorn_threshold_cny(params);
  const double potential_floor = params.vc_potential_unicorn_valuation_usd * params.vc_cny_per_usd;
  const std::size_t last_round = params.vc_dilution.size() - 1;
  for (std::size_t r = 0; r < chosen; ++r) {
    const std::size_t i = young[r];
    Stream stream(seed, static_cast<std::uint64_t>(firms.id[i]), 0, Purpose::initial_unicorns);
    const bool unicorn = r < unicorns;
    double valuation;
    std::size_t round;  // index of the firm's last round
    if (unicorn) {
      boost::random::exponential_distribution<double> excess(
          1.0 / std::max(params.unicorn_valuation_excess, 1e-12));
      valuation =
          threshold * (1.0 + (params.unicorn_valuation_excess > 0.0 ? excess(stream) : 0.0));
      round = last_round;
    } else {
      // Log-uniform between the two list thresholds, below the unicorn one.
      valuation = potential_floor * std::pow(threshold / potential_floor, stream.uniform01());
      round = last_round > 0 ? last_round - 1 : 0;
    }
    // A last round before the base year (step 0: no recent-round boost).
    firms.rounds[i] = static_cast<std::uint8_t>(round + 1);
    firms.last_round_step[i] = 0;
    firms.post_money_cny[i] = valuation;
    firms.valuation_cny[i] = valuation;
    firms.revenue_at_round_cny[i] = firms.revenue_cny[i];
    firms.vc_raised_cny[i] = valuation * params.vc_dilution[round];
    if (unicorn) firms.stage[i] = static_cast<std::uint8_t>(Stage::unicorn);
  }
}

std::vector<double> stratum_sizes(std::vector<double> full_sizes, std::size_t agents,
                                  double scale) {
  std::vector<double> sizes(agents, 0.0);
  if (agents == 0) return sizes;
  std::sort(full_sizes.begin(), full_sizes.end(), std::greater<>());
  const auto ranks = static_cast<double>(full_sizes.size());
  const double width = ranks / static_cast<double>(agents);
  for (std::size_t j = 0; j < agents; ++j) {
    const double lower = static_cast<double>(j) * width;
    const double upper = j + 1 == agents ? ranks : static_cast<double>(j + 1) * width;
    // Rank k covers [k, k + 1); a rank that straddles two strata is split between them.
    double stratum = 0.0;
    for (auto k = static_cast<std::size_t>(lower); k < full_sizes.size(); ++k) {
      const auto rank = static_cast<double>(k);
      if (rank >= upper) break;
      const double overlap = std::min(rank + 1.0, upper) - std::max(rank, lower);
      if (overlap > 0.0) stratum += overlap * full_sizes[k];
    }
    sizes[j] = scale * stratum;
  }
  return sizes;
}

Population generate_population(const BaseData& data, const ModelParameters& params,
                               std::uint64_t seed, const Executor& executor) {
  Population population;
  population.parks = build_parks(data.parks);
  Parks& parks = population.parks;
  const std::vector<double> cell_revenue = base_cell_revenue(parks, data.cell_figures, params);
  std::vector<double> park_firms;
  for (const ParkRecord& park : data.parks) park_firms.push_back(park.firms);
  const std::vector<std::int64_t> cell_agents = base_cell_agents(cell_revenue, park_firms, params);
  const double january = january_run_rate_factor(params.base_year_growth);

  std::vector<std::int64_t> first(cell_agents.size() + 1, 0);
  std::partial_sum(cell_agents.begin(), cell_agents.end(), first.begin() + 1);
  const auto n = static_cast<std::size_t>(first.back());
  FirmArrays& firms = population.firms;
  firms.resize(n);

  // Sizes: the full zone's heavy-tailed draws of each cell, rescaled to its January run rate. A
  // sample's agents carry rank strata of them (stratum_sizes), so that a sample has the full
  // zone's mid-sized firms rather than a small draw rescaled up to the cell's revenue.
  ModelParameters full_zone = params;
  full_zone.scale = 1.0;
  const std::vector<std::int64_t> full_agents =
      base_cell_agents(cell_revenue, park_firms, full_zone);
  std::vector<std::int64_t> full_first(full_agents.size() + 1, 0);
  std::partial_sum(full_agents.begin(), full_agents.end(), full_first.begin() + 1);
  auto pareto_draw = [&](std::size_t index) {
    // Pareto with unit minimum: (1 - U)^(-1/alpha), U in [0, 1); one stream per firm index.
    Stream stream(seed, index, 0, Purpose::initial_sizes);
    return std::pow(1.0 - stream.uniform01(), -1.0 / params.pareto_alpha);
  };
  executor.for_each(n, [&](std::size_t i) { firms.revenue_cny[i] = pareto_draw(i); });
  executor.for_each(cell_agents.size(), [&](std::size_t c) {
    const auto begin = static_cast<std::size_t>(first[c]);
    const auto end = static_cast<std::size_t>(first[c + 1]);
    std::vector<double> full_sizes(static_cast<std::size_t>(full_agents[c]));
    double sum = 0.0;
    for (std::size_t k = 0; k < full_sizes.size(); ++k) {
      full_sizes[k] = pareto_draw(static_cast<std::size_t>(full_first[c]) + k);
      sum += full_sizes[k];
    }
    for (double& size : full_sizes) size *= cell_revenue[c] * january / sum;
    const std::vector<double> sizes =
        stratum_sizes(std::move(full_sizes), end - begin, params.scale);
    // The agents' own draws order them: the largest draw takes the largest stratum (ties: the
    // lower index). At full scale each firm keeps its own draw.
    std::vector<std::size_t> by_draw(end - begin);
    std::iota(by_draw.begin(), by_draw.end(), begin);
    std::sort(by_draw.begin(), by_draw.end(), [&](std::size_t a, std::size_t b) {
      return firms.revenue_cny[a] != firms.revenue_cny[b]
                 ? firms.revenue_cny[a] > firms.revenue_cny[b]
                 : a < b;
    });
    for (std::size_t r = 0; r < by_draw.size(); ++r) firms.revenue_cny[by_draw[r]] = sizes[r];
    for (std::size_t i = begin; i < end; ++i) {
      firms.id[i] = static_cast<std::int64_t>(i);
      firms.park[i] = static_cast<std::int16_t>(c / sector_count);
      firms.sector[i] = static_cast<std::uint8_t>(c % sector_count);
      firms.alive[i] = 1;
    }
  });

  executor.for_each(n, [&](std::size_t i) {
    Stream stream(seed, static_cast<std::uint64_t>(firms.id[i]), 0, Purpose::initial_population);
    boost::random::exponential_distribution<double> age_years(1.0 / params.mean_age_years);
    boost::random::normal_distribution<double> log_productivity(0.0,
                                                                params.initial_productivity_sd);
    firms.age_months[i] = static_cast<std::int32_t>(std::min(age_years(stream) * 12.0, 1200.0));
    firms.productivity[i] = std::exp(log_productivity(stream));
    firms.employees[i] =
        initial_head_count(firms.revenue_cny[i], firms.productivity[i], firms.sector[i], params, 0);
    const Stage stage =
        classify_stage(firms.revenue_cny[i], firms.age_months[i], Stage::startup, params);
    firms.stage[i] = static_cast<std::uint8_t>(stage);
    firms.cash_cny[i] = params.cash_to_revenue * firms.revenue_cny[i] +
                        (stage == Stage::startup ? params.entry_startup_capital_cny : 0.0);
  });
  seed_unicorns(firms, params, seed);
  population.next_firm_id = static_cast<std::int64_t>(n);

  // Talent: the staff of every leading-sector firm, one agent per person, ids in firm order.
  std::vector<std::int64_t> first_talent(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    first_talent[i + 1] = first_talent[i] + (is_leading(firms.sector[i]) ? firms.employees[i] : 0);
  }
  TalentArrays& talent = population.talent;
  talent.resize(static_cast<std::size_t>(first_talent[n]));
  const double mean_extra_years = params.talent_mean_age_years - 22.0;
  const double working_years = params.talent_retirement_age_years - 22.0;
  executor.for_each(n, [&](std::size_t i) {
    const double offer = wage_offer(firms.productivity[i], params);
    for (auto t = static_cast<std::size_t>(first_talent[i]);
         t < static_cast<std::size_t>(first_talent[i + 1]); ++t) {
      Stream stream(seed, t, 0, Purpose::initial_talent);
      boost::random::normal_distribution<double> skill(
          params.talent_skill_productivity_link * std::log(firms.productivity[i]),
          params.talent_skill_sd);
      boost::random::exponential_distribution<double> extra_years(1.0 / mean_extra_years);
      talent.id[t] = static_cast<std::int64_t>(t);
      talent.park[t] = firms.park[i];
      talent.sector[t] = firms.sector[i];
      talent.alive[t] = 1;
      talent.skill[t] = skill(stream);
      talent.employer[t] = firms.id[i];
      talent.employer_index[t] = static_cast<std::int32_t>(i);
      // Ages from 22, exponential above it, folded into the working life.
      const double years = std::fmod(extra_years(stream), working_years);
      talent.age_months[t] = static_cast<std::int32_t>((22.0 + years) * months_per_year);
      talent.wage_cny[t] = offer * std::exp(params.talent_wage_skill_premium * talent.skill[t]);
      talent.target_park[t] = talent.park[t];
    }
  });
  population.next_talent_id = first_talent[n];
  for (std::size_t i = 0; i < n; ++i) firms.incubator[i] = -1;
  population.incubators = generate_incubators(firms, parks, params, seed);

  // Floor space: what the base-year head count uses, at the base-year occupancy.
  CellStats cells;
  measure_cells(firms, parks, params, executor, cells);
  for (std::size_t p = 0; p < parks.size(); ++p) {
    parks.floor_space_m2[p] =
        std::max(cells.used_floor_space_m2[p], 1.0) / params.initial_occupancy;
  }
  return population;
}

}  // namespace clustersim
