#include "write_queue.hpp"

#include <pthread.h>
#include <sched.h>

#include <utility>

namespace clustersim {

namespace {

bool set_policy(pthread_t thread, int policy) {
  sched_param parameters{};
  parameters.sched_priority = 0;
  return pthread_setschedparam(thread, policy, &parameters) == 0;
}

// Whether a thread may leave idle priority again: that needs CAP_SYS_NICE or an RLIMIT_NICE that
// allows nice 0 (sched(7)), which containers and ordinary users often lack. Tried on a thread
// of its own.
bool idle_priority_is_reversible() {
  bool reversible = false;
  std::thread probe([&reversible] {
    reversible = set_policy(pthread_self(), SCHED_IDLE) && set_policy(pthread_self(), SCHED_OTHER);
  });
  probe.join();
  return reversible;
}

}  // namespace

// Idle priority: the writer's compression runs on cores the kernel leaves idle (its serial
// phases, other cores) and never takes one from the kernel's threads. But an idle thread gets
// almost nothing while other processes keep every core busy, so whenever the producer waits
// for the writer (a full queue, drain, the destructor) the writer's threads run at normal
// priority. Where idle priority could not be left again, they stay at normal priority.
WriteQueue::WriteQueue(std::size_t max_pending_bytes,
                       std::function<std::exception_ptr(std::exception_ptr)> wrap,
                       std::size_t helpers)
    : max_pending_bytes_(max_pending_bytes), wrap_(std::move(wrap)), thread_([this] { work(); }) {
  for (std::size_t k = 0; k < helpers; ++k) helpers_.emplace_back([this] { help(); });
  idle_priority_ = idle_priority_is_reversible();
  if (idle_priority_) set_priority(SCHED_IDLE);
}

void WriteQueue::set_priority(int policy) {
  set_policy(thread_.native_handle(), policy);
  for (std::thread& helper : helpers_) set_policy(helper.native_handle(), policy);
}

void WriteQueue::wait_for_progress(std::unique_lock<std::mutex>& lock,
                                   const std::function<bool()>& ready) {
  if (ready()) return;
  if (idle_priority_ && waiting_++ == 0) set_priority(SCHED_OTHER);
  progress_.wait(lock, ready);
  if (idle_priority_ && --waiting_ == 0) set_priority(SCHED_IDLE);
}

bool WriteQueue::runs_at_idle_priority() const { return idle_priority_; }

WriteQueue::~WriteQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  if (idle_priority_) set_priority(SCHED_OTHER);  // what is still queued is waited for
  thread_.join();
  {
    std::lock_guard<std::mutex> lock(batch_mutex_);
    helpers_stopping_ = true;
  }
  batch_started_.notify_all();
  for (std::thread& helper : helpers_) helper.join();
}

void WriteQueue::parallel_for(std::size_t count, const std::function<void(std::size_t)>& task) {
  if (helpers_.empty() || count <= 1) {
    for (std::size_t i = 0; i < count; ++i) task(i);
    return;
  }
  {
    std::unique_lock<std::mutex> lock(batch_mutex_);
    batch_task_ = &task;
    batch_count_ = count;
    batch_next_ = batch_done_ = 0;
    batch_error_ = nullptr;
    ++batch_generation_;
  }
  batch_started_.notify_all();
  run_tasks(task, count);
  std::unique_lock<std::mutex> lock(batch_mutex_);
  // A helper still inside could take a task of the next batch with this one's function.
  batch_progress_.wait(lock, [&] { return batch_done_ == batch_count_ && helpers_inside_ == 0; });
  batch_task_ = nullptr;
  if (batch_error_) std::rethrow_exception(batch_error_);
}

void WriteQueue::run_tasks(const std::function<void(std::size_t)>& task, std::size_t count) {
  std::unique_lock<std::mutex> lock(batch_mutex_);
  while (batch_next_ < count) {
    const std::size_t i = batch_next_++;
    lock.unlock();
    std::exception_ptr failure;
    try {
      task(i);
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    if (failure && !batch_error_) batch_error_ = failure;
    if (++batch_done_ == count) batch_progress_.notify_all();
  }
}

void WriteQueue::help() {
  pthread_setname_np(pthread_self(), "clustersim-io+");
  std::uint64_t seen = 0;
  std::unique_lock<std::mutex> lock(batch_mutex_);
  for (;;) {
    batch_started_.wait(lock, [&] {
      return helpers_stopping_ || (batch_task_ != nullptr && batch_generation_ != seen);
    });
    if (helpers_stopping_) return;
    seen = batch_generation_;
    const std::function<void(std::size_t)>& task = *batch_task_;
    const std::size_t count = batch_count_;
    ++helpers_inside_;
    lock.unlock();
    run_tasks(task, count);
    lock.lock();
    if (--helpers_inside_ == 0) batch_progress_.notify_all();
  }
}

void WriteQueue::submit(std::function<void()> job, std::size_t bytes) {
  reserve(bytes);
  submit_reserved(std::move(job), bytes);
}

void WriteQueue::reserve(std::size_t bytes) {
  std::unique_lock<std::mutex> lock(mutex_);
  // One job bigger than the bound still runs: the wait ends when nothing is held.
  wait_for_progress(lock, [&] {
    return error_ || pending_bytes_ == 0 || pending_bytes_ + bytes <= max_pending_bytes_;
  });
  rethrow_locked();
  pending_bytes_ += bytes;
}

void WriteQueue::submit_reserved(std::function<void()> job, std::size_t bytes) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (error_) {
    pending_bytes_ -= bytes;  // the job is skipped, as the writer would skip it
    rethrow_locked();
  }
  jobs_.push_back({std::move(job), bytes});
  lock.unlock();
  queued_.notify_one();
}

void WriteQueue::release(std::size_t bytes) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_bytes_ -= bytes;
  }
  progress_.notify_all();
}

void WriteQueue::drain() {
  std::unique_lock<std::mutex> lock(mutex_);
  wait_for_progress(lock, [&] { return jobs_.empty() && !running_; });
  rethrow_locked();
}

void WriteQueue::rethrow() {
  std::lock_guard<std::mutex> lock(mutex_);
  rethrow_locked();
}

void WriteQueue::rethrow_locked() {
  if (error_) std::rethrow_exception(error_);
}

void WriteQueue::work() {
  pthread_setname_np(pthread_self(), "clustersim-io");  // as top -H and perf show it
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    queued_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, and everything queued has run
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    running_ = true;
    if (!error_) {
      lock.unlock();
      std::exception_ptr failure;
      try {
        job.run();
      } catch (...) {
        failure = std::current_exception();
      }
      if (failure) {
        try {
          failure = wrap_(failure);
        } catch (...) {
          failure = std::current_exception();  // e.g. no memory for the message
        }
      }
      job.run = nullptr;  // frees the job's buffers before it counts as done
      lock.lock();
      if (failure && !error_) error_ = failure;
    }
    pending_bytes_ -= job.bytes;
    running_ = false;
    progress_.notify_all();
  }
}

}  // namespace clustersim
