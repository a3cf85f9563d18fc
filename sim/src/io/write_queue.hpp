#pragma once
// WriteQueue: one thread that runs the results writer's jobs (compressing and writing a
// snapshot) in the order they were submitted, while the kernel steps on (issue 7: HDF5 writes
// off the hot path). Private to sim/src/io.
//
// A job that throws stops the queue: the jobs after it are skipped, and the error is rethrown
// on the submitting thread by the next submit(), drain() or rethrow(), and by every one after
// (an error is never lost; nothing escapes the thread). Memory is bounded: reserve() (and
// submit(), which reserves) waits while the jobs not yet done and the reservations would hold
// more than `max_pending_bytes`. A producer reserves before it copies, so that the copies it is
// making count against the bound too.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace clustersim {

class WriteQueue {
 public:
  // wrap(error) turns an exception of a job into the one the caller sees (an OutputError naming
  // the file); it runs on the writer thread.
  // `helpers`: threads, at the writer's priority, that take part in parallel_for().
  WriteQueue(std::size_t max_pending_bytes,
             std::function<std::exception_ptr(std::exception_ptr)> wrap, std::size_t helpers = 0);
  // Runs the jobs still queued (errors are then kept, not thrown) and joins the thread.
  ~WriteQueue();
  WriteQueue(const WriteQueue&) = delete;
  WriteQueue& operator=(const WriteQueue&) = delete;

  // Queues job (holding `bytes` of buffers until it is done); rethrows an earlier job's error.
  void submit(std::function<void()> job, std::size_t bytes);
  // Waits until `bytes` more may be held, then counts them as held (a reservation bigger than
  // the bound waits until nothing else is held); rethrows an earlier job's error.
  void reserve(std::size_t bytes);
  // Queues job with `bytes` reserved by reserve(); never waits.
  void submit_reserved(std::function<void()> job, std::size_t bytes);
  // Gives back `bytes` reserved by reserve() for a job that will not be submitted.
  void release(std::size_t bytes);
  // Waits until every queued job has run; rethrows the first error.
  void drain();
  // Rethrows the first error, if a job has failed.
  void rethrow();
  // For a running job: task(i) for every i in [0, count), on the writer thread and the
  // helpers, in any order; returns when all have run and rethrows the first exception of a
  // task. While the kernel steps the helpers get only the cores it leaves idle; when it waits
  // for the writer (a full queue, the close) they share the work that it waits for.
  void parallel_for(std::size_t count, const std::function<void(std::size_t)>& task);
  std::size_t helpers() const { return helpers_.size(); }
  // Whether the threads run at idle priority while nobody waits for them (where the policy can
  // be left again; otherwise they run at normal priority).
  bool runs_at_idle_priority() const;

 private:
  struct Job {
    std::function<void()> run;
    std::size_t bytes;
  };
  void work();
  void rethrow_locked();
  void help();
  // The writer's and the helpers' scheduling policy (SCHED_IDLE or SCHED_OTHER).
  void set_priority(int policy);
  // progress_.wait(lock, ready), the threads at normal priority meanwhile.
  void wait_for_progress(std::unique_lock<std::mutex>& lock, const std::function<bool()>& ready);
  // Runs tasks of the current batch until none is left (batch_mutex_ not held).
  void run_tasks(const std::function<void(std::size_t)>& task, std::size_t count);

  const std::size_t max_pending_bytes_;
  const std::function<std::exception_ptr(std::exception_ptr)> wrap_;
  std::mutex mutex_;
  std::condition_variable queued_;    // a job was queued, or the queue is stopping
  std::condition_variable progress_;  // a job finished
  std::deque<Job> jobs_;
  std::size_t pending_bytes_ = 0;  // of reservations, queued jobs and the one running
  bool running_ = false;
  bool stopping_ = false;
  bool idle_priority_ = false;  // set in the constructor, then only read
  std::size_t waiting_ = 0;     // producers in wait_for_progress
  std::exception_ptr error_;

  // parallel_for's batch: its task, how many tasks it has, the next one to take, how many have
  // run, and how many helpers are inside it (a batch ends when all tasks ran and none is).
  std::mutex batch_mutex_;
  std::condition_variable batch_started_, batch_progress_;
  const std::function<void(std::size_t)>* batch_task_ = nullptr;
  std::size_t batch_count_ = 0, batch_next_ = 0, batch_done_ = 0, helpers_inside_ = 0;
  std::uint64_t batch_generation_ = 0;
  bool helpers_stopping_ = false;
  std::exception_ptr batch_error_;

  std::thread thread_;  // last: started once the members above exist
  std::vector<std::thread> helpers_;
};

}  // namespace clustersim
