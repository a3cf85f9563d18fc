#include "write_queue.hpp"

#include <pthread.h>
#include <sched.h>

#include <utility>

namespace clustersim {

WriteQueue::WriteQueue(std::size_t max_pending_bytes,
                       std::function<std::exception_ptr(std::exception_ptr)> wrap)
    : max_pending_bytes_(max_pending_bytes), wrap_(std::move(wrap)), thread_([this] { work(); }) {}

WriteQueue::~WriteQueue() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  queued_.notify_one();
  thread_.join();
}

void WriteQueue::submit(std::function<void()> job, std::size_t bytes) {
  reserve(bytes);
  submit_reserved(std::move(job), bytes);
}

void WriteQueue::reserve(std::size_t bytes) {
  std::unique_lock<std::mutex> lock(mutex_);
  // One job bigger than the bound still runs: the wait ends when nothing is held.
  progress_.wait(lock, [&] {
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
  progress_.wait(lock, [&] { return jobs_.empty() && !running_; });
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
  // Idle priority: compression runs on cores the kernel leaves idle (its serial phases, other
  // cores) and never takes one from the kernel's threads. When the kernel waits for the writer
  // (a full queue, the close), nothing else runs and the writer has the machine. Best effort:
  // where the policy is refused the writer runs at normal priority.
  sched_param idle{};
  idle.sched_priority = 0;
  pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
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
