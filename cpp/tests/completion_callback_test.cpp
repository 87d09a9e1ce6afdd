// The worker's completion callback: called after results are published, once
// per group of operations, and replaceable while the queue runs.
#include <atomic>
#include <future>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/nonblocking/persistent_queue.hpp"
#include "test_util.hpp"

using rocksq_test::TempDir;

TEST(CompletionCallback, RunsAfterResultsArePublished) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  std::atomic<int> calls{0};
  std::shared_future<void> push;
  std::atomic<bool> ready_when_called{true};
  std::promise<void> armed;
  std::shared_future<void> armed_future = armed.get_future().share();
  q.set_completion_callback([&] {
    armed_future.wait();  // push is assigned before the first call looks at it
    if (push.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
      ready_when_called = false;
    }
    ++calls;
  });
  push = q.push({"a"});
  armed.set_value();
  push.get();
  q.len().get();  // a later group: the first callback has returned by now
  EXPECT_TRUE(ready_when_called);
  EXPECT_GE(calls.load(), 1);
  q.close();
}

TEST(CompletionCallback, OneCallPerGroupNotPerOperation) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  std::atomic<int> calls{0};
  q.set_completion_callback([&] { ++calls; });
  std::vector<std::shared_future<void>> pushes;
  for (int i = 0; i < 1000; ++i) pushes.push_back(q.push({"x"}));
  for (auto& p : pushes) p.get();
  q.close();
  EXPECT_GE(calls.load(), 1);
  EXPECT_LE(calls.load(), 1000);
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
}
