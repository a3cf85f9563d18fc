#pragma once
// Phase award_titles (docs/model.md 3.3.23).

#include "clustersim/agents/firms.hpp"
#include "clustersim/phases/step_context.hpp"

namespace clustersim {

// December: titles by documented criteria - chain leaders (the largest leading-industry firm
// of a park above a revenue bound), hidden champions, little giants; unicorns are kept (set by
// valuations). Firms that no longer qualify return to their size class.
void award_titles(FirmArrays& firms, const ModelParameters& params, const Executor& executor);

}  // namespace clustersim
