#pragma once
// Phase evaluate_parks (docs/model.md 3.4.3).

#include "clustersim/agents/parks.hpp"
#include "clustersim/model/series.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// The annual evaluation of parks (December, while the evaluation lever acts): the composite
// score of each park in the zone (NaN outside) from the year's series, weighted z-scores of
// revenue growth, revenue per km2, patents per employee and new firms per firm.
std::vector<double> park_scores(const SeriesBook& series, const Parks& parks,
                                const ModelParameters& params);

// Ranks the parks in the zone by score (ties: park order). A park among the bottom ones with a
// score below the failing score gets a strike: the first is a notice, the second in a row
// removes its plaque (it leaves the zone for good). Others lose their strikes; the top ones get
// priority.
void rank_parks(const std::vector<double>& score, const ModelParameters& params, Parks& parks);

void evaluate_parks(const SeriesBook& series, const ModelParameters& params, Parks& parks);

}  // namespace clustersim
