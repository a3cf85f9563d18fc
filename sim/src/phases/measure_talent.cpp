#include "clustersim/phases/measure_talent.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>

#include "clustersim/model/rules.hpp"

namespace clustersim {

void measure_talent(const TalentArrays& talent, const ModelParameters& params,
                    const Executor& executor, CellStats& cells) {
  struct Partial {
    std::vector<double> talent, seeking;
  };
  const std::size_t n_cells = cells.talent.size();
  const Partial zero{std::vector<double>(n_cells), std::vector<double>(n_cells)};
  const Partial total = executor.reduce(
      talent.size(), zero,
      [&](Partial& part, std::size_t begin, std::size_t end) {
        // Counted in four interleaved integer tallies (neighbours are often in the same cell,
        // and one tally would chain every increment through memory), then added to the
        // block's partial: counts below 2^53 are exact in double, so the totals are the same.
        std::vector<std::int64_t> tally(8 * n_cells, 0);  // [lane][talent, seeking][cell]
        for (std::size_t t = begin; t < end; ++t) {
          const std::int64_t alive = talent.alive[t];
          const std::size_t c =
              cell_index(static_cast<std::size_t>(talent.park[t]), talent.sector[t]);
          std::int64_t* lane = tally.data() + (t & 3u) * 2 * n_cells;
          lane[c] += alive;
          lane[n_cells + c] += alive & static_cast<std::int64_t>(talent.employer_index[t] < 0);
        }
        for (std::size_t lane = 0; lane < 4; ++lane) {
          for (std::size_t c = 0; c < n_cells; ++c) {
            part.talent[c] += static_cast<double>(tally[lane * 2 * n_cells + c]);
            part.seeking[c] += static_cast<double>(tally[lane * 2 * n_cells + n_cells + c]);
          }
        }
      },
      [](Partial& sum, const Partial& part) {
        for (std::size_t c = 0; c < sum.talent.size(); ++c) {
          sum.talent[c] += part.talent[c];
          sum.seeking[c] += part.seeking[c];
        }
      });
  for (std::size_t c = 0; c < n_cells; ++c) {
    cells.talent[c] = total.talent[c] / params.scale;
    cells.seeking[c] = total.seeking[c] / params.scale;
  }
}

}  // namespace clustersim
