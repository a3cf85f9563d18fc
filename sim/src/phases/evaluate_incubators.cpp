#include "clustersim/phases/evaluate_incubators.hpp"

#include <algorithm>
#include <boost/random/poisson_distribution.hpp>
#include <cmath>

#include "clustersim/core/random.hpp"
#include "clustersim/model/rules.hpp"

namespace clustersim {

void evaluate_incubators(IncubatorArrays& incubators, const ModelParameters& params, int year) {
  // The status exists from the programme's start; earlier years count towards it.
  const bool awards = year >= params.incubators_status_from_year;
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    // Net graduations per place: incubators that turn out firms that last score well.
    const double score =
        static_cast<double>(incubators.graduations_year[k] - incubators.failures_year[k]) /
        static_cast<double>(std::max(incubators.capacity[k], 1));
    incubators.last_score[k] = score;
    if (score >= params.incubators_high_quality_score) {
      incubators.years_meeting[k] += 1;
      incubators.years_failing[k] = 0;
    } else {
      incubators.years_failing[k] += 1;
      incubators.years_meeting[k] = 0;
    }
    if (awards && incubators.years_meeting[k] >= params.incubators_status_years)
      incubators.high_quality[k] = 1;
    if (incubators.years_failing[k] >= params.incubators_status_years)
      incubators.high_quality[k] = 0;
  }
}

void start_incubator_year(IncubatorArrays& incubators) {
  // After December's snapshot has recorded the year's counts.
  for (std::size_t k = 0; k < incubators.size(); ++k) {
    incubators.admissions_year[k] = 0;
    incubators.graduations_year[k] = 0;
    incubators.failures_year[k] = 0;
  }
}

}  // namespace clustersim
