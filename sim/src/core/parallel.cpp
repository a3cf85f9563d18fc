#include "clustersim/core/parallel.hpp"

#include <stdexcept>

namespace clustersim {

Executor::Executor(int threads) : threads_(threads) {
  if (threads < 0) throw std::invalid_argument("threads must be >= 0 (0: serial reference)");
#ifndef CLUSTERSIM_THREAD_CHECKED_EXECUTOR
  if (threads > 0) arena_ = std::make_unique<oneapi::tbb::task_arena>(threads);
#endif
}

}  // namespace clustersim
