#pragma once
// Shanghai outside the zone: an aggregate region per leading industry with its own growth, which
// competes with the zone for firms (relocating firms may leave for it) and capital (its venture
// capital follows its revenue). The zone's shares of the city are then endogenous.

#include <array>
#include <cstddef>

#include "clustersim/model/sectors.hpp"

namespace clustersim {

struct City {
  // Revenue of the leading industries in the aggregate region (CNY/year, full scale); the firms
  // of parks whose plaque was removed are agents and are added when the city is measured.
  std::array<double, leading_count> outside_revenue_cny{};
  // Its talent: revenue over the reference revenue per employee (persons, full scale).
  std::array<double, leading_count> outside_talent{};
  // This month: revenue of the firms that moved out of the zone into the region (full scale).
  std::array<double, leading_count> moved_in_revenue_cny{};
  double firms_moved_in = 0.0;  // firms (full-scale equivalents)
  double outside_vc_cny = 0.0;  // venture capital invested in the region this month
};

}  // namespace clustersim
