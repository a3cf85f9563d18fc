#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "clustersim/errors.hpp"
#include "io/write_queue.hpp"

using namespace clustersim;

namespace {
std::exception_ptr as_output_error(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return std::make_exception_ptr(OutputError(std::string("out.h5: ") + e.what()));
  }
}
}  // namespace

TEST(WriteQueue, RunsJobsInTheOrderTheyWereQueued) {
  std::vector<int> order;  // written by the writer thread only, read after drain()
  WriteQueue queue(1 << 20, as_output_error);
  for (int k = 0; k < 50; ++k) queue.submit([&order, k] { order.push_back(k); }, 100);
  queue.drain();
  ASSERT_EQ(order.size(), 50u);
  for (int k = 0; k < 50; ++k) EXPECT_EQ(order[k], k);
}

TEST(WriteQueue, AFailedJobIsRethrownByEveryLaterCallAndSkipsTheRest) {
  std::atomic<int> ran{0};
  WriteQueue queue(1 << 20, as_output_error);
  // The first job holds the writer until all three are queued: otherwise the failure could come
  // first and the third submit would (rightly) rethrow it.
  std::promise<void> all_queued;
  std::shared_future<void> queued = all_queued.get_future().share();
  queue.submit(
      [&ran, queued] {
        queued.wait();
        ++ran;
      },
      1);
  queue.submit([] { throw std::runtime_error("disk full"); }, 1);
  queue.submit([&] { ++ran; }, 1);
  all_queued.set_value();
  EXPECT_THROW(queue.drain(), OutputError);
  EXPECT_EQ(ran.load(), 1);
  try {
    queue.submit([&] { ++ran; }, 1);
    FAIL() << "an earlier error was lost";
  } catch (const OutputError& e) {
    EXPECT_STREQ(e.what(), "out.h5: disk full");
  }
  EXPECT_THROW(queue.rethrow(), OutputError);
  EXPECT_EQ(ran.load(), 1);
}  // the destructor does not throw

TEST(WriteQueue, TheDestructorRunsWhatIsQueuedAndKeepsItsErrors) {
  std::atomic<int> ran{0};
  {
    WriteQueue queue(1 << 20, as_output_error);
    queue.submit(
        [&] {
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          ++ran;
        },
        1);
    queue.submit([&] { ++ran; }, 1);
  }
  EXPECT_EQ(ran.load(), 2);
  {
    WriteQueue queue(1 << 20, as_output_error);
    queue.submit([] { throw std::runtime_error("late"); }, 1);
  }  // an error nobody asked for is dropped with the queue, not thrown from a destructor
}

TEST(WriteQueue, SubmitWaitsWhileTheQueuedJobsHoldTooMuch) {
  // At most 100 bytes pending: a second job of 60 waits until the first is done; a single job
  // larger than the bound still runs.
  std::atomic<bool> release{false}, submitted{false};
  WriteQueue queue(100, as_output_error);
  queue.submit(
      [&] {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      },
      60);
  std::thread producer([&] {
    queue.submit([] {}, 60);
    submitted = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(submitted.load());
  release = true;
  producer.join();
  EXPECT_TRUE(submitted.load());
  queue.submit([] {}, 1000);
  queue.drain();
}

TEST(WriteQueue, AReservationCountsAgainstTheBoundUntilItsJobIsDone) {
  // The results writer reserves a snapshot's bytes before it copies the rows: while 60 of 100
  // bytes are reserved, another reservation of 60 waits, and it proceeds once the job holding
  // the first is done (or the reservation is released).
  WriteQueue queue(100, as_output_error);
  std::atomic<bool> release{false}, reserved{false};
  queue.reserve(60);
  std::thread producer([&] {
    queue.reserve(60);
    reserved = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(reserved.load());
  queue.submit_reserved(
      [&] {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      },
      60);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(reserved.load());  // the job still holds its 60 bytes
  release = true;
  producer.join();
  EXPECT_TRUE(reserved.load());
  queue.release(60);  // the second producer gave up: nothing is held, so 100 fit again
  queue.reserve(100);
  queue.submit_reserved([] {}, 100);
  queue.drain();
}

TEST(WriteQueue, AReservedJobAfterAFailureIsRefusedAndGivesItsBytesBack) {
  WriteQueue queue(100, as_output_error);
  queue.submit([] { throw std::runtime_error("disk full"); }, 1);
  EXPECT_THROW(queue.drain(), OutputError);
  // reserve() rethrows the failure; so does a job reserved before it was known.
  EXPECT_THROW(queue.reserve(10), OutputError);
  EXPECT_THROW(queue.submit_reserved([] {}, 0), OutputError);
}

TEST(WriteQueue, ParallelForRunsEveryTaskOnceAndRethrowsAFailure) {
  // Two helpers beside the writer thread; whether they get a core is up to the scheduler (they
  // run at idle priority), so only the outcome is checked: every index once, batch after batch
  // (a helper left inside one batch must not run the next with the old task).
  WriteQueue queue(1 << 20, as_output_error, 2);
  ASSERT_EQ(queue.helpers(), 2u);
  constexpr std::size_t batches = 20, tasks = 300;
  std::vector<std::atomic<int>> runs(batches * tasks);
  queue.submit(
      [&] {
        for (std::size_t b = 0; b < batches; ++b) {
          queue.parallel_for(tasks, [&, b](std::size_t i) { ++runs[b * tasks + i]; });
        }
      },
      1);
  queue.drain();
  for (std::size_t k = 0; k < runs.size(); ++k) ASSERT_EQ(runs[k].load(), 1) << "task " << k;

  std::atomic<int> ran{0};
  queue.submit(
      [&] {
        queue.parallel_for(100, [&](std::size_t i) {
          ++ran;
          if (i == 37) throw std::runtime_error("zlib failed");
        });
      },
      1);
  try {
    queue.drain();
    FAIL() << "the task's failure was lost";
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("zlib failed"), std::string::npos) << e.what();
  }
  EXPECT_EQ(ran.load(), 100);  // the other tasks still ran: the batch ends as a whole
}

namespace {
int own_policy() {
  int policy = -1;
  sched_param parameters{};
  pthread_getschedparam(pthread_self(), &policy, &parameters);
  return policy;
}
}  // namespace

// At idle priority the writer would get almost nothing on a machine whose cores other work
// keeps busy, and a producer waiting for it would wait for as long: while anyone waits, the
// writer runs at normal priority, and at idle priority again once nobody does. (Where idle
// priority cannot be left again, the writer always runs at normal priority.)
TEST(WriteQueue, TheWriterRunsAtNormalPriorityWhileTheProducerWaitsForIt) {
  WriteQueue queue(100, as_output_error, 1);
  const int idle = queue.runs_at_idle_priority() ? SCHED_IDLE : SCHED_OTHER;
  std::atomic<int> before{-1}, while_waited_for{-1}, after{-1};
  std::atomic<bool> release{false};
  queue.submit(
      [&] {
        before = own_policy();  // nobody waits yet: the producer starts after this
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        // The producer is in drain() by now; it raised the policy on entering its wait.
        for (int k = 0; k < 5000 && own_policy() != SCHED_OTHER; ++k) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        while_waited_for = own_policy();
      },
      10);
  while (before.load() == -1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread producer([&] { queue.drain(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  release = true;
  producer.join();
  EXPECT_EQ(before.load(), idle);
  EXPECT_EQ(while_waited_for.load(), SCHED_OTHER);
  queue.submit([&] { after = own_policy(); }, 10);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // not waited for: idle again
  queue.drain();
  EXPECT_EQ(after.load(), idle);
}
