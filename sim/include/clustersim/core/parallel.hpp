#pragma once
// Executor: runs per-agent loops in fixed-size blocks, either serially (the reference) or on a
// oneTBB arena. Results never depend on the thread count: each block's work touches only its own
// agents, and reductions combine per-block partials in block order.
//
// Under ThreadSanitizer (CLUSTERSIM_THREAD_CHECKED_EXECUTOR, set by the tsan build) the same
// blocks run on plain std::threads instead: Debian's oneTBB is not instrumented, so TSan cannot
// see its synchronisation, while thread start and join it does see. The phases' own accesses,
// what TSan is there to check, are the same in both.

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/parallel_invoke.h>
#include <oneapi/tbb/task_arena.h>

#include <cstddef>
#include <exception>
#include <memory>
#include <vector>
#ifdef CLUSTERSIM_THREAD_CHECKED_EXECUTOR
#include <algorithm>
#include <thread>
#endif

namespace clustersim {

class Executor {
 public:
  // Agents per block; fixed so that partial sums are the same whatever the thread count.
  static constexpr std::size_t block_size = 8192;

  // threads == 0 selects the serial reference (plain loops, no TBB).
  explicit Executor(int threads);

  int threads() const { return threads_; }
  bool serial() const { return threads_ == 0; }

  static std::size_t block_count(std::size_t n) { return (n + block_size - 1) / block_size; }

  // body(block_index, begin, end) for every block of [0, n).
  template <class Body>
  void for_blocks(std::size_t n, Body&& body) const {
    const std::size_t blocks = block_count(n);
    auto run_block = [&](std::size_t b) {
      const std::size_t begin = b * block_size;
      const std::size_t end = begin + block_size < n ? begin + block_size : n;
      body(b, begin, end);
    };
    for_tasks(blocks, run_block);
  }

  // body(task) for every task in [0, n), one task at a time: blocks of agents, or a few coarse,
  // independent pieces of work (the labour markets of the parks).
  //
  // `items` (optional) is how many agents the tasks pass over in all. Under one block of them
  // the tasks run inline, one after another, as a single block of for_blocks does: entering the
  // arena and waking a worker would cost more than the work. Tasks are independent, so this
  // changes no result. (The thread-checked build ignores it, so its runs stay concurrent.)
  template <class Body>
  void for_tasks(std::size_t n, Body&& body, std::size_t items = block_size) const {
#ifdef CLUSTERSIM_THREAD_CHECKED_EXECUTOR
    (void)items;
    if (!serial() && n > 1) {
      on_threads(n, body);
      return;
    }
#else
    if (!serial() && n > 1 && items >= block_size) {
      arena_->execute([&] {
        oneapi::tbb::parallel_for(
            oneapi::tbb::blocked_range<std::size_t>(0, n, 1),
            [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
              for (std::size_t t = r.begin(); t != r.end(); ++t) body(t);
            },
            oneapi::tbb::simple_partitioner());
      });
      return;
    }
#endif
    for (std::size_t t = 0; t < n; ++t) body(t);
  }

  // body(i) for every i in [0, n).
  template <class Body>
  void for_each(std::size_t n, Body&& body) const {
    for_blocks(n, [&](std::size_t, std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) body(i);
    });
  }

  // first() and second() side by side: two pieces of work that touch disjoint state (a serial
  // phase and an independent one), either of which may use the executor's loops itself. Serial
  // reference: one after the other. Should both throw, first()'s error is the one rethrown, as
  // on one thread. `items` as for for_tasks: under one block of agents the two run inline.
  template <class First, class Second>
  void run_both(First&& first, Second&& second, std::size_t items = block_size) const {
#ifdef CLUSTERSIM_THREAD_CHECKED_EXECUTOR
    (void)items;
    if (serial()) {
#else
    if (serial() || items < block_size) {
#endif
      first();
      second();
      return;
    }
    std::exception_ptr first_error, second_error;
    auto guarded = [](auto& work, std::exception_ptr& error) {
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
    };
#ifdef CLUSTERSIM_THREAD_CHECKED_EXECUTOR
    std::thread other([&] { guarded(first, first_error); });
    guarded(second, second_error);
    other.join();
#else
    arena_->execute([&] {
      oneapi::tbb::parallel_invoke([&] { guarded(first, first_error); },
                                   [&] { guarded(second, second_error); });
    });
#endif
    if (first_error) std::rethrow_exception(first_error);
    if (second_error) std::rethrow_exception(second_error);
  }

  // Deterministic reduction: accumulate(partial, begin, end) fills one Partial per block (each
  // starts as `zero`); combine(total, partial) folds them in block order.
  template <class Partial, class Accumulate, class Combine>
  Partial reduce(std::size_t n, const Partial& zero, Accumulate&& accumulate,
                 Combine&& combine) const {
    std::vector<Partial> partials(block_count(n), zero);
    for_blocks(n, [&](std::size_t b, std::size_t begin, std::size_t end) {
      accumulate(partials[b], begin, end);
    });
    Partial total = zero;
    for (const Partial& p : partials) combine(total, p);
    return total;
  }

 private:
#ifdef CLUSTERSIM_THREAD_CHECKED_EXECUTOR
  // work(i) for i in [0, n), dealt round-robin to at least two threads (so that the checked run
  // is concurrent even with threads = 1).
  template <class Work>
  void on_threads(std::size_t n, Work& work) const {
    const std::size_t workers = std::min<std::size_t>(n, std::max(threads_, 2));
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w) {
      pool.emplace_back([&work, w, workers, n] {
        for (std::size_t i = w; i < n; i += workers) work(i);
      });
    }
    for (std::thread& thread : pool) thread.join();
  }
#endif

  int threads_;
  std::unique_ptr<oneapi::tbb::task_arena> arena_;
};

}  // namespace clustersim
