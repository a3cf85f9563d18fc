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

#include <atomic>
#include <chrono>
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

  // A parallel region as a profile sees it: how many independent tasks it offered and its wall
  // time. The benchmarks' scaling estimate reads these (benchmarks/README.md, "Scaling").
  struct Region {
    double seconds;                    // the region's wall time
    std::vector<double> task_seconds;  // each task's own, in task order
  };
  // Every outermost parallel region from now on is appended to `regions` (nullptr: none, the
  // default). Inline runs (the serial reference, a single task, under one block of agents) are
  // not regions: on any number of threads they run on one. Regions nested in another (the
  // loops inside run_both's halves) count as part of the outer one.
  void record_regions(std::vector<Region>* regions) { regions_ = regions; }

  static std::size_t block_count(std::size_t n) { return (n + block_size - 1) / block_size; }

  // body(block_index, begin, end) for every block of [0, n).
  template <class Body>
  void for_blocks(std::size_t n, Body&& body) const {
    for_chunks(n, block_size, body);
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
      RegionTimer timer(*this, n);
      arena_->execute([&] {
        oneapi::tbb::parallel_for(
            oneapi::tbb::blocked_range<std::size_t>(0, n, 1),
            [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
              for (std::size_t t = r.begin(); t != r.end(); ++t) timer.task(t, body);
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

  // Agents per task of the finer loops below (a multiple of first_blocks' 64 lanes): a hundred
  // tasks where a full-scale run has ten blocks of firms, enough for a many-core machine to
  // share out (benchmarks/README.md, "Scaling from one thread").
  static constexpr std::size_t fine_task_agents = 1024;

  // body(begin, end) for every range of fine_task_agents agents of [0, n): for loops whose
  // agents do not depend on each other, so that no result depends on the partition.
  template <class Body>
  void for_ranges(std::size_t n, Body&& body) const {
    auto range = [&](std::size_t, std::size_t begin, std::size_t end) { body(begin, end); };
    for_chunks(n, fine_task_agents, range);
  }

  // As reduce, over ranges of fine_task_agents agents instead of blocks. Only for partials
  // whose total does not depend on how the agents are grouped: whole-number counts (exact in
  // a double below 2^53), minima, maxima. A floating-point sum of other values must keep
  // reduce's fixed blocks, or its last bits would change with the grouping.
  template <class Partial, class Accumulate, class Combine>
  Partial reduce_counts(std::size_t n, const Partial& zero, Accumulate&& accumulate,
                        Combine&& combine) const {
    return reduce_chunks(n, fine_task_agents, zero, accumulate, combine);
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
    RegionTimer timer(*this, 2);
    arena_->execute([&] {
      oneapi::tbb::parallel_invoke(
          [&] { timer.task(0, [&](std::size_t) { guarded(first, first_error); }); },
          [&] { timer.task(1, [&](std::size_t) { guarded(second, second_error); }); });
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
    return reduce_chunks(n, block_size, zero, accumulate, combine);
  }

 private:
  // body(chunk, begin, end) for every chunk of `size` agents of [0, n), one task each (inline
  // under one block of agents, as for_tasks says).
  template <class Body>
  void for_chunks(std::size_t n, std::size_t size, Body& body) const {
    for_tasks((n + size - 1) / size,
              [&](std::size_t chunk) {
                const std::size_t begin = chunk * size;
                body(chunk, begin, begin + size < n ? begin + size : n);
              },
              n);
  }

  // One Partial per chunk of `size` agents, folded in chunk order.
  template <class Partial, class Accumulate, class Combine>
  Partial reduce_chunks(std::size_t n, std::size_t size, const Partial& zero,
                        Accumulate& accumulate, Combine& combine) const {
    std::vector<Partial> partials((n + size - 1) / size, zero);
    auto fill = [&](std::size_t chunk, std::size_t begin, std::size_t end) {
      accumulate(partials[chunk], begin, end);
    };
    for_chunks(n, size, fill);
    Partial total = zero;
    for (const Partial& p : partials) combine(total, p);
    return total;
  }

  // Times one parallel region and each of its tasks into regions_ when they are recorded and
  // the region is the outermost; otherwise only runs the tasks.
  class RegionTimer {
   public:
    RegionTimer(const Executor& executor, std::size_t tasks)
        : counted_(executor.regions_ != nullptr ? &executor : nullptr),
          executor_(counted_ != nullptr && executor.region_depth_++ == 0 ? counted_ : nullptr) {
      if (executor_ == nullptr) return;
      task_seconds_.assign(tasks, 0.0);
      started_ = std::chrono::steady_clock::now();
    }
    ~RegionTimer() {
      if (counted_ != nullptr) --counted_->region_depth_;
      if (executor_ == nullptr) return;
      const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started_;
      executor_->regions_->push_back({elapsed.count(), std::move(task_seconds_)});
    }
    RegionTimer(const RegionTimer&) = delete;
    RegionTimer& operator=(const RegionTimer&) = delete;

    // body(t), timed when recorded (each task writes only its own entry).
    template <class Body>
    void task(std::size_t t, Body&& body) {
      if (executor_ == nullptr) {
        body(t);
        return;
      }
      const auto begun = std::chrono::steady_clock::now();
      body(t);
      task_seconds_[t] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begun).count();
    }

   private:
    const Executor* counted_;   // recording: this region counts in region_depth_
    const Executor* executor_;  // recording and outermost: this region is recorded
    std::vector<double> task_seconds_;
    std::chrono::steady_clock::time_point started_{};
  };

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
  std::vector<Region>* regions_ = nullptr;
  // Regions entered and not yet left, while regions are recorded (only then touched).
  mutable std::atomic<int> region_depth_{0};
};

}  // namespace clustersim
