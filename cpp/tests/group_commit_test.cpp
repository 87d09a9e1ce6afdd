// Operations staged together (one group commit) must see each other: a pop
// staged after a push in the same group reads the pushed items, although
// they are not in the database yet.  Both at the store (deterministic
// staging) and through the worker, whose grouping the test controls by
// holding it (QueueControl::Hold).
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "storage/fifo_store.hpp"
#include "storage/mpmc_store.hpp"
#include "rocksq/nonblocking/mpmc_queue.hpp"
#include "rocksq/nonblocking/persistent_queue.hpp"
#include "rocksq/persistent_queue.hpp"
#include "test_util.hpp"

using rocksq::internal::FifoStore;
using rocksq::internal::MpmcStore;
using rocksq_test::TempDir;

namespace {

std::vector<std::string> numbered(int from, int to, std::size_t size = 0) {
  std::vector<std::string> items;
  for (int i = from; i < to; ++i) {
    std::string item = "item-" + std::to_string(i);
    if (item.size() < size) item.resize(size, '.');
    items.push_back(item);
  }
  return items;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

constexpr std::size_t kMax = 1000000;

// Five committed one-item segments, the head one popped, then the store
// closed: the next open starts with nothing in memory.
void fill_and_reopen_later(const std::string& path) {
  FifoStore store(path, kMax, rocksq::Options());
  for (int i = 0; i < 5; ++i) {
    store.push(numbered(i, i + 1));
    store.commit();
  }
  EXPECT_EQ(store.pop(1), numbered(0, 1));
  store.commit();
}

}  // namespace

TEST(FifoGroup, PopAfterPushInOneGroupReadsTheStagedItemsAfterReopen) {
  TempDir dir;
  fill_and_reopen_later(dir.path());
  {
    FifoStore store(dir.path(), kMax, rocksq::Options());
    store.push({"staged"});
    // Reads ahead past the committed segments into the staged one.
    EXPECT_EQ(store.pop(1), numbered(1, 2));
    EXPECT_EQ(store.pop(10), concat(numbered(2, 5), {"staged"}));
    store.commit();
    EXPECT_EQ(store.len(), 0u);
  }
  FifoStore store(dir.path(), kMax, rocksq::Options());
  EXPECT_EQ(store.len(), 0u);
  EXPECT_TRUE(store.pop(10).empty());
}

TEST(FifoGroup, StagedItemsBeyondTheMemoryBudgetAreReadable) {
  TempDir dir;
  rocksq::Options options;
  options.memory_cache_bytes = 100;  // nothing fits: every pop reads back
  FifoStore store(dir.path(), kMax, options);
  store.push(numbered(0, 3, 200));
  store.commit();
  store.push(numbered(3, 5, 200));
  store.push(numbered(5, 6, 200));
  EXPECT_EQ(store.pop(4), numbered(0, 4, 200));
  store.push(numbered(6, 7, 200));
  EXPECT_EQ(store.pop(10), numbered(4, 7, 200));
  store.commit();
  store.push(numbered(7, 8, 200));
  store.commit();
  EXPECT_EQ(store.pop(10), numbered(7, 8, 200));
  store.commit();
}

TEST(FifoGroup, RollbackForgetsStagedSegmentsThatWereNotRead) {
  TempDir dir;
  fill_and_reopen_later(dir.path());
  FifoStore store(dir.path(), kMax, rocksq::Options());
  store.push({"dropped"});
  store.rollback();
  EXPECT_EQ(store.pop(10), numbered(1, 5));
  store.commit();
  store.push({"kept"});
  store.commit();
  EXPECT_EQ(store.pop(10), std::vector<std::string>{"kept"});
}

TEST(MpmcGroup, NextAfterAddInOneGroupReadsTheStagedElementsAfterReopen) {
  TempDir dir;
  const std::chrono::seconds ttl(3600);
  {
    MpmcStore store(dir.path(), ttl, rocksq::Options());
    for (int i = 0; i < 5; ++i) {
      store.add(numbered(i, i + 1));
      store.commit();
    }
    EXPECT_EQ(store.next("a", rocksq::StartPosition::Oldest, 1).items, numbered(0, 1));
    store.commit();
  }
  MpmcStore store(dir.path(), ttl, rocksq::Options());
  store.add({"staged"});
  EXPECT_EQ(store.next("a", rocksq::StartPosition::Oldest, 10).items,
            concat(numbered(1, 5), {"staged"}));
  EXPECT_EQ(store.next("b", rocksq::StartPosition::Oldest, 10).items,
            concat(numbered(0, 5), {"staged"}));
  store.commit();
}

TEST(FifoGroup, PipelinedGroupAfterBlockingUseAndReopen) {
  TempDir dir;
  {
    rocksq::PersistentQueueWithCapacity q(dir.path(), 20);
    for (int i = 0; i < 5; ++i) q.push(numbered(i, i + 1, 5000));
    EXPECT_EQ(q.pop(1), numbered(0, 1, 5000));
  }
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), 30);
  EXPECT_EQ(q.len().get(), 4u);
  rocksq::Future<void> push;
  rocksq::Future<std::vector<std::string>> pop1, pop2;
  rocksq::Future<std::size_t> len;
  {
    const rocksq::QueueControl::Hold hold(q);  // the four form one group
    push = q.push({"", "x", ""});
    pop1 = q.pop(1);
    pop2 = q.pop(10);
    len = q.len();
  }
  // Resolved out of submission order.
  EXPECT_EQ(len.get(), 0u);
  EXPECT_EQ(pop2.get(), concat(numbered(2, 5, 5000), {"", "x", ""}));
  EXPECT_EQ(pop1.get(), numbered(1, 2, 5000));
  push.get();
}

TEST(FifoPeek, ShowsWhatPopWouldReturnAndRemovesNothing) {
  TempDir dir;
  fill_and_reopen_later(dir.path());  // head segment partly popped, nothing in memory
  FifoStore store(dir.path(), kMax, rocksq::Options());
  store.push({"staged"});
  EXPECT_EQ(store.peek(2), numbered(1, 3));
  EXPECT_EQ(store.peek(100), concat(numbered(1, 5), {"staged"}));
  EXPECT_EQ(store.len(), 5u);
  EXPECT_EQ(store.pop(100), concat(numbered(1, 5), {"staged"}));
  EXPECT_TRUE(store.peek(1).empty());
}

TEST(MpmcPeek, MovesNoCursorAndCreatesNoLabel) {
  TempDir dir;
  MpmcStore store(dir.path(), std::chrono::seconds(3600), rocksq::Options());
  store.add(numbered(0, 3));
  EXPECT_EQ(store.peek("new", rocksq::StartPosition::Oldest, 2).items, numbered(0, 2));
  EXPECT_EQ(store.peek("new", rocksq::StartPosition::Newest, 5).items, numbered(2, 3));
  EXPECT_TRUE(store.labels().empty());
  EXPECT_EQ(store.next("a", rocksq::StartPosition::Oldest, 1).items, numbered(0, 1));
  EXPECT_EQ(store.peek("a", rocksq::StartPosition::Oldest, 5).items, numbered(1, 3));
  EXPECT_EQ(store.next("a", rocksq::StartPosition::Oldest, 5).items, numbered(1, 3));
  store.commit();
}
