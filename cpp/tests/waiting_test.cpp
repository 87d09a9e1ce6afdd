// Reads that wait for data: parked by the worker, served oldest first when a
// push/add commits, ended by their timeout or by close with what there is.
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/rocksq.hpp"
#include "test_util.hpp"

using rocksq::kWaitForever;
using rocksq::StartPosition;
using rocksq_test::TempDir;
using Items = std::vector<std::string>;

namespace {

// Once a later operation's result is there, the worker has staged (and
// parked) every earlier one.
template <typename Queue>
void settle(Queue& q) {
  q.len().get();
}

}  // namespace

TEST(WaitingPop, IsServedByALaterPushAndTakesNoRoom) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), 100, /*max_inflight_ops=*/1);
  auto waiting = q.pop(10, kWaitForever);
  settle(q);
  EXPECT_FALSE(waiting.is_ready());
  EXPECT_EQ(q.inflight_ops(), 1u);  // counted, but the push below has room
  q.push({"a", "b"}).get();
  EXPECT_EQ(waiting.get(), (Items{"a", "b"}));
  EXPECT_EQ(q.len().get(), 0u);
}

TEST(WaitingPop, EachItemGoesToOneWaiterOldestFirst) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  auto first = q.pop(1, kWaitForever);
  auto second = q.pop(1, kWaitForever);
  auto third = q.pop(1, kWaitForever);
  rocksq::Future<Items> later;
  {
    // One group: the push serves the waiters before the later pop.
    const rocksq::QueueControl::Hold hold(q);
    q.push({"a", "b"});
    later = q.pop(5);
  }
  EXPECT_EQ(first.get(), Items{"a"});
  EXPECT_EQ(second.get(), Items{"b"});
  EXPECT_EQ(later.get(), Items{});
  settle(q);
  EXPECT_FALSE(third.is_ready());
  q.close();  // ends it with what there is
  EXPECT_EQ(third.get(), Items{});
}

TEST(WaitingPop, EndsAtItsTimeoutWithWhatThereIs) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(q.pop(1, std::chrono::milliseconds(30)).get(), Items{});
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
  q.push({"x"}).get();
  // Data there: no wait.
  EXPECT_EQ(q.pop(1, std::chrono::hours(1)).get(), Items{"x"});
}

TEST(WaitingPop, BlockingFlavourWaitsForAnotherThread) {
  TempDir dir;
  rocksq::PersistentQueueWithCapacity q(dir.path());
  Items got;
  std::thread consumer([&] { got = q.pop(3, kWaitForever); });
  while (q.inflight_ops() == 0) std::this_thread::yield();  // the pop is waiting
  q.push({"job"});
  consumer.join();
  EXPECT_EQ(got, Items{"job"});
}

TEST(WaitingNext, EveryLabelIsServedByAnAdd) {
  TempDir dir;
  rocksq::nonblocking::MpmcQueue log(dir.path(), 3600);
  auto a = log.next("a", StartPosition::Newest, 10, kWaitForever);
  auto b = log.next("b", StartPosition::Oldest, 10, kWaitForever);
  settle(log);
  EXPECT_FALSE(a.is_ready());
  EXPECT_EQ(log.labels().get(), (Items{"a", "b"}));  // created by their first read
  log.add({"e1", "e2"}).get();
  EXPECT_EQ(a.get().items, (Items{"e1", "e2"}));
  EXPECT_EQ(b.get().items, (Items{"e1", "e2"}));
  auto empty = log.next("a", StartPosition::Oldest, 10, std::chrono::milliseconds(10));
  EXPECT_EQ(empty.get().items, Items{});
}
