#pragma once
// Phases evaluate_incubators (December) and start_incubator_year (January).

#include "clustersim/agents/incubators.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// The annual evaluation (December): each incubator's score and its high-quality status.
void evaluate_incubators(IncubatorArrays& incubators, const ModelParameters& params, int year);

// January: the year's counters start again (December's snapshot keeps last year's).
void start_incubator_year(IncubatorArrays& incubators);

}  // namespace clustersim
