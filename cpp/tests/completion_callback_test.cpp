// The worker's completion callback: called after results are published, once
// per group of operations, and replaceable while the queue runs.
#include <atomic>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/nonblocking/persistent_queue.hpp"
#include "test_util.hpp"

using rocksq_test::TempDir;

TEST(CompletionCallback, RunsAfterResultsArePublished) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  std::vector<rocksq::Future<void>> pushes;
  std::atomic<int> calls{0};
  std::atomic<bool> all_ready_when_called{true};
  {
    // The futures exist before the group runs: the callback may read them.
    const rocksq::QueueControl::Hold hold(q);
    for (int i = 0; i < 10; ++i) pushes.push_back(q.push({"x"}));
    q.set_completion_callback([&] {
      for (const auto& push : pushes) {
        if (!push.is_ready()) all_ready_when_called = false;
      }
      ++calls;
    });
  }
  for (auto& push : pushes) push.get();
  q.close();  // joins the worker: every callback has returned
  EXPECT_EQ(calls.load(), 1);
  EXPECT_TRUE(all_ready_when_called);
}

TEST(CompletionCallback, OneCallPerGroupNotPerOperation) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  std::atomic<int> calls{0};
  q.set_completion_callback([&] { ++calls; });
  std::vector<rocksq::Future<void>> pushes;
  {
    const rocksq::QueueControl::Hold hold(q);  // the 1000 pushes form one group
    for (int i = 0; i < 1000; ++i) pushes.push_back(q.push({"x"}));
  }
  for (auto& p : pushes) p.get();
  q.close();
  EXPECT_EQ(calls.load(), 1);
}

TEST(CompletionCallback, CanBeRemoved) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  std::atomic<int> calls{0};
  q.set_completion_callback([&] { ++calls; });
  q.push({"a"}).get();
  q.len().get();
  q.set_completion_callback(nullptr);
  // Groups run one after another: once a group taken after the removal has
  // completed, every earlier callback has returned.
  q.len().get();
  const int before = calls.load();
  q.pop(1).get();
  q.len().get();
  EXPECT_EQ(calls.load(), before);
  EXPECT_GE(before, 2);
}
