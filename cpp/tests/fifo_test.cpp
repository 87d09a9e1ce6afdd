#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/rocksq.hpp"
#include "test_util.hpp"

using rocksq_test::TempDir;

namespace {

std::vector<std::string> numbered(int from, int to) {
  std::vector<std::string> items;
  for (int i = from; i < to; ++i) items.push_back("item-" + std::to_string(i));
  return items;
}

}  // namespace

TEST(Fifo, PushPopInOrderAcrossBatches) {
  TempDir dir;
  rocksq::PersistentQueueWithCapacity q(dir.path());
  q.push(numbered(0, 3));
  q.push(numbered(3, 5));
  EXPECT_EQ(q.len(), 5u);
  EXPECT_EQ(q.pop(2), numbered(0, 2));
  EXPECT_EQ(q.pop(2), numbered(2, 4));
  EXPECT_EQ(q.pop(10), numbered(4, 5));
  EXPECT_TRUE(q.pop(10).empty());
  EXPECT_TRUE(q.is_empty());
}

TEST(Fifo, TracksPayloadSize) {
  TempDir dir;
  rocksq::PersistentQueueWithCapacity q(dir.path());
  q.push({"abc", "", "de"});
  EXPECT_EQ(q.payload_size(), 5u);
  q.pop(1);
  EXPECT_EQ(q.payload_size(), 2u);
  EXPECT_GT(q.disk_size(), 0u);
}

TEST(Fifo, FullPushWritesNothing) {
  TempDir dir;
  rocksq::PersistentQueueWithCapacity q(dir.path(), 3);
  q.push({"a", "b"});
  EXPECT_THROW(q.push({"c", "d"}), rocksq::QueueFullError);
  EXPECT_EQ(q.len(), 2u);
  q.push({"c"});
  EXPECT_EQ(q.pop(5), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(Fifo, PersistsAcrossReopenIncludingPartialSegments) {
  TempDir dir;
  {
    rocksq::PersistentQueueWithCapacity q(dir.path());
    q.push(numbered(0, 10));
    q.pop(3);
  }
  {
    rocksq::PersistentQueueWithCapacity q(dir.path());
    EXPECT_EQ(q.len(), 7u);
    EXPECT_EQ(q.pop(2), numbered(3, 5));
  }
  rocksq::PersistentQueueWithCapacity q(dir.path());
  EXPECT_EQ(q.pop(100), numbered(5, 10));
}

TEST(Fifo, ReadsFromDiskWhenMemoryBudgetIsExceeded) {
  TempDir dir;
  rocksq::Options options;
  options.memory_cache_bytes = 1000;  // a few items only
  rocksq::PersistentQueueWithCapacity q(dir.path(), rocksq::kDefaultMaxElements, options);
  for (int i = 0; i < 100; ++i) q.push(numbered(i * 10, i * 10 + 10));
  std::vector<std::string> all;
  while (!q.is_empty()) {
    auto got = q.pop(7);
    all.insert(all.end(), got.begin(), got.end());
  }
  EXPECT_EQ(all, numbered(0, 1000));
}

TEST(Fifo, SecondOpenOfSamePathFails) {
  TempDir dir;
  rocksq::PersistentQueueWithCapacity q(dir.path());
  EXPECT_THROW(rocksq::PersistentQueueWithCapacity(dir.path()), rocksq::AlreadyOpenError);
  q.close();
  EXPECT_THROW(q.len(), rocksq::ClosedError);
  rocksq::PersistentQueueWithCapacity again(dir.path());
  EXPECT_EQ(again.len(), 0u);
}

TEST(Fifo, RemoveQueue) {
  TempDir dir;
  {
    rocksq::PersistentQueueWithCapacity q(dir.path());
    q.push({"x"});
    EXPECT_THROW(rocksq::remove_queue(dir.path()), rocksq::AlreadyOpenError);
  }
  rocksq::remove_queue(dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.path()));
  rocksq::remove_queue(dir.path());  // missing: nothing to do
}

TEST(NonblockingFifo, FuturesDeliverResultsInOrder) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), 5);
  std::vector<std::shared_future<void>> pushes;
  for (int i = 0; i < 5; ++i) pushes.push_back(q.push(numbered(i, i + 1)));
  auto full = q.push({"overflow"});
  auto len = q.len();
  auto popped = q.pop(3);
  for (auto& f : pushes) f.get();
  EXPECT_THROW(full.get(), rocksq::QueueFullError);
  EXPECT_EQ(len.get(), 5u);
  EXPECT_EQ(popped.get(), numbered(0, 3));
  EXPECT_EQ(q.payload_size().get(), 12u);
  EXPECT_EQ(q.inflight_ops(), 0u);
}

TEST(NonblockingFifo, DestructorCompletesPendingOperations) {
  TempDir dir;
  std::vector<std::shared_future<void>> pushes;
  std::shared_future<std::size_t> len;
  {
    rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), rocksq::kDefaultMaxElements, 4);
    for (int i = 0; i < 200; ++i) pushes.push_back(q.push(numbered(i, i + 1)));
    len = q.len();
  }
  for (auto& f : pushes) f.get();
  EXPECT_EQ(len.get(), 200u);
  rocksq::PersistentQueueWithCapacity q(dir.path());
  EXPECT_EQ(q.pop(1000), numbered(0, 200));
}

TEST(NonblockingFifo, ClosedQueueRejectsCalls) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  q.push({"a"}).get();
  q.close();
  q.close();
  EXPECT_THROW(q.len(), rocksq::ClosedError);
  rocksq::PersistentQueueWithCapacity reopened(dir.path());
  EXPECT_EQ(reopened.len(), 1u);
}

TEST(NonblockingFifo, BackPressureBoundsInflightOperations) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), rocksq::kDefaultMaxElements, 2);
  std::atomic<std::size_t> max_seen{0};
  std::thread producer([&] {
    for (int i = 0; i < 500; ++i) {
      q.push(numbered(i, i + 1));
      const std::size_t now = q.inflight_ops();
      if (now > max_seen) max_seen = now;
    }
  });
  producer.join();
  EXPECT_LE(max_seen.load(), 2u);
  EXPECT_EQ(q.len().get(), 500u);
}

TEST(NonblockingFifo, ZeroInflightIsRejected) {
  TempDir dir;
  EXPECT_THROW(rocksq::nonblocking::PersistentQueueWithCapacity(dir.path(), 10, 0),
               std::invalid_argument);
}
