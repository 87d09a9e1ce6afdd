// The runtime on its own: Worker (grouping, back-pressure, room wait, hold,
// timed work, stop) and execute_group (which errors fail one operation, which
// fail the group), with a fake store instead of RocksDB.
#include <atomic>
#include <chrono>
#include <future>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/error.hpp"
#include "runtime/service.hpp"
#include "runtime/worker.hpp"

using rocksq::internal::execute_group;
using rocksq::internal::make_op;
using rocksq::internal::Worker;

namespace {

// Records what the runtime asks of a store.
struct FakeStore {
  std::vector<std::string> staged;
  std::vector<std::string> committed;
  int commits = 0;
  int rollbacks = 0;
  bool fail_commit = false;

  void commit() {
    ++commits;
    if (fail_commit) throw rocksq::Error("commit failed");
    committed.insert(committed.end(), staged.begin(), staged.end());
    staged.clear();
  }
  std::chrono::steady_clock::time_point housekeep_due() const {
    return std::chrono::steady_clock::time_point::max();
  }
  void rollback() {
    ++rollbacks;
    staged.clear();
  }
};

// A worker over a FakeStore that records the size of each group.
struct Fixture {
  FakeStore store;
  std::vector<std::size_t> group_sizes;  // written by the worker only
  rocksq::internal::WaitingOps<FakeStore> waiting;
  std::unique_ptr<Worker> worker;

  explicit Fixture(std::size_t max_inflight = 100) {
    worker = std::make_unique<Worker>("queue test", max_inflight, [this](Worker::Group& group) {
      group_sizes.push_back(group.size());
      return execute_group(store, group, waiting);
    });
  }

  template <typename Fn>
  auto submit(Fn fn) {
    auto [op, future] = make_op<FakeStore>(std::move(fn));
    worker->submit(std::move(op));
    return future;
  }
};

auto stage(std::string what) {
  return [what](FakeStore& s) {
    s.staged.push_back(what);
    return what;
  };
}

}  // namespace

TEST(Worker, OperationsSubmittedWhileHeldRunAsOneGroupInOrder) {
  Fixture f;
  std::vector<rocksq::Future<std::string>> results;
  {
    rocksq::internal::Worker& w = *f.worker;
    w.hold();
    for (int i = 0; i < 5; ++i) results.push_back(f.submit(stage("op" + std::to_string(i))));
    EXPECT_EQ(w.inflight(), 5u);
    EXPECT_FALSE(results[0].is_ready());
    w.release();
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(results[i].get(), "op" + std::to_string(i));
  f.worker->stop();
  EXPECT_EQ(f.group_sizes, std::vector<std::size_t>{5});
  EXPECT_EQ(f.store.committed, (std::vector<std::string>{"op0", "op1", "op2", "op3", "op4"}));
  EXPECT_EQ(f.store.commits, 1);
}

TEST(Worker, ARefusedOperationFailsAloneAndStagesNothing) {
  Fixture f;
  f.worker->hold();
  auto a = f.submit(stage("a"));
  auto full = f.submit([](FakeStore&) -> std::string { throw rocksq::QueueFullError("full"); });
  auto bad = f.submit([](FakeStore&) -> std::string { throw std::invalid_argument("bad"); });
  auto b = f.submit(stage("b"));
  f.worker->release();
  EXPECT_EQ(a.get(), "a");
  EXPECT_THROW(full.get(), rocksq::QueueFullError);
  EXPECT_THROW(bad.get(), std::invalid_argument);
  EXPECT_EQ(b.get(), "b");
  f.worker->stop();
  EXPECT_EQ(f.store.committed, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(f.store.rollbacks, 0);
}

TEST(Worker, AnyOtherErrorFailsTheWholeGroupAndRollsBack) {
  Fixture f;
  f.worker->hold();
  auto a = f.submit(stage("a"));
  auto broken = f.submit([](FakeStore&) -> std::string { throw rocksq::CorruptionError("bad"); });
  auto b = f.submit(stage("b"));
  f.worker->release();
  EXPECT_THROW(a.get(), rocksq::CorruptionError);
  EXPECT_THROW(broken.get(), rocksq::CorruptionError);
  EXPECT_THROW(b.get(), rocksq::CorruptionError);  // never staged, failed with the group
  f.worker->stop();
  EXPECT_TRUE(f.store.committed.empty());
  EXPECT_EQ(f.store.rollbacks, 1);
  EXPECT_EQ(f.store.commits, 0);
}

TEST(Worker, AFailedCommitFailsTheGroupButKeepsRefusals) {
  Fixture f;
  f.store.fail_commit = true;
  f.worker->hold();
  auto a = f.submit(stage("a"));
  auto full = f.submit([](FakeStore&) -> std::string { throw rocksq::QueueFullError("full"); });
  f.worker->release();
  EXPECT_THROW(a.get(), rocksq::Error);
  EXPECT_THROW(full.get(), rocksq::QueueFullError);
  f.worker->stop();
  EXPECT_EQ(f.store.rollbacks, 1);
}

TEST(Worker, BackPressureUsesTheRoomWaitWhichMayAbandonTheCall) {
  Fixture f(2);
  f.worker->hold();
  auto a = f.submit(stage("a"));
  auto b = f.submit(stage("b"));
  std::atomic<int> waits{0};
  f.worker->set_room_wait([&](const std::function<bool(std::chrono::nanoseconds)>& wait_for_room) {
    ++waits;
    if (!wait_for_room(std::chrono::milliseconds(1))) throw std::runtime_error("interrupted");
  });
  EXPECT_THROW(f.submit(stage("c")), std::runtime_error);  // no room: abandoned
  EXPECT_EQ(waits.load(), 1);
  EXPECT_EQ(f.worker->inflight(), 2u);
  // With room coming, the room wait returns and the call goes through.
  f.worker->set_room_wait([&](const std::function<bool(std::chrono::nanoseconds)>& wait_for_room) {
    ++waits;
    f.worker->release();
    while (!wait_for_room(std::chrono::milliseconds(10))) {
    }
  });
  auto d = f.submit(stage("d"));
  EXPECT_EQ(d.get(), "d");
  a.get();
  b.get();
  f.worker->stop();
  EXPECT_EQ(f.store.committed, (std::vector<std::string>{"a", "b", "d"}));
}

TEST(Worker, StopPublishesPendingOperationsAndRefusesNewOnes) {
  Fixture f;
  f.worker->hold();
  auto a = f.submit(stage("a"));
  f.worker->stop();  // ends the hold
  EXPECT_EQ(a.get(), "a");
  EXPECT_THROW(f.submit(stage("b")), rocksq::ClosedError);
}

TEST(Worker, TimedWorkRunsWhenDueWithoutOperations) {
  std::promise<void> ran;
  std::atomic<int> ticks{0};
  Worker worker("queue test", 10, [](Worker::Group&) { return Worker::Clock::time_point::max(); }, [&] {
    if (++ticks == 2) ran.set_value();
    return Worker::TickDone{ticks < 2 ? Worker::Clock::now() + std::chrono::milliseconds(1)
                                      : Worker::Clock::time_point::max(),
                            false};
  });
  ran.get_future().get();  // once at start, once when due
  worker.stop();
  EXPECT_EQ(ticks.load(), 2);
}

TEST(Worker, ZeroInflightIsRejected) {
  EXPECT_THROW(Worker("queue test", 0,
                      [](Worker::Group&) { return Worker::Clock::time_point::max(); }),
               std::invalid_argument);
}

TEST(Worker, CallerRunsWhenIdleAndQueuesOtherwiseOneThreadAtATime) {
  Fixture f;
  f.worker->set_caller_runs(true);
  // Idle: the submitter runs the task, which is done when submit returns.
  auto on_caller = f.submit([](FakeStore&) { return std::this_thread::get_id(); });
  EXPECT_TRUE(on_caller.is_ready());
  EXPECT_EQ(on_caller.get(), std::this_thread::get_id());
  // Held: the task waits for the worker.
  f.worker->hold();
  auto queued = f.submit([](FakeStore&) { return std::this_thread::get_id(); });
  EXPECT_FALSE(queued.is_ready());
  f.worker->release();
  EXPECT_NE(queued.get(), std::this_thread::get_id());

  // Many submitters, each its own order: never two tasks at once, and each
  // thread's tasks in its order.
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  std::vector<std::thread> threads;
  std::vector<std::vector<rocksq::Future<std::string>>> results(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        results[t].push_back(f.submit([&, t, i](FakeStore& s) {
          if (running.fetch_add(1) != 0) overlapped = true;
          s.staged.push_back(std::to_string(t) + ":" + std::to_string(i));
          running.fetch_sub(1);
          return std::to_string(t) + ":" + std::to_string(i);
        }));
      }
    });
  }
  for (auto& th : threads) th.join();
  for (auto& per_thread : results) {
    for (auto& r : per_thread) r.get();
  }
  f.worker->stop();
  EXPECT_FALSE(overlapped.load());
  std::vector<int> next(4, 0);
  for (const auto& item : f.store.committed) {
    const int t = item[0] - '0';
    EXPECT_EQ(item, std::to_string(t) + ":" + std::to_string(next[t])) << "out of order";
    ++next[t];
  }
  EXPECT_EQ(next, std::vector<int>(4, 500));
}
