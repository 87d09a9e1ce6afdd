#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "rocksq/rocksq.hpp"
#include "test_util.hpp"

using rocksq::StartPosition;
using rocksq_test::ManualClock;
using rocksq_test::TempDir;
using rocksq_test::with_clock;
using Items = std::vector<std::string>;

namespace {

Items numbered(int from, int to) {
  Items items;
  for (int i = from; i < to; ++i) items.push_back("item-" + std::to_string(i));
  return items;
}

// Polls condition until it holds or `seconds` pass; returns whether it held.
bool eventually(const std::function<bool()>& condition, double seconds = 5.0) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

}  // namespace

TEST(Mpmc, OldestReadsEverythingInOrderAcrossBatches) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  q.add(numbered(0, 3));
  q.add(numbered(3, 5));
  EXPECT_EQ(q.len(), 5u);
  auto [items, expired] = q.next("a", StartPosition::Oldest, 2);
  EXPECT_EQ(items, numbered(0, 2));
  EXPECT_FALSE(expired);
  EXPECT_EQ(q.next("a", StartPosition::Newest, 2).items, numbered(2, 4));
  EXPECT_EQ(q.next("a", StartPosition::Oldest, 10).items, numbered(4, 5));
  EXPECT_TRUE(q.next("a", StartPosition::Oldest, 10).items.empty());
  EXPECT_EQ(q.len(), 5u);  // reading removes nothing
}

TEST(Mpmc, NewestOnEmptyLogStartsWithTheNextElementAdded) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  EXPECT_TRUE(q.next("n", StartPosition::Newest, 5).items.empty());
  q.add({"1"});
  q.add({"2"});
  EXPECT_EQ(q.next("n", StartPosition::Newest, 5).items, (Items{"1", "2"}));
}

TEST(Mpmc, NewestOnNonEmptyLogReturnsTheNewestElement) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  q.add({"x", "y"});
  EXPECT_EQ(q.next("n", StartPosition::Newest, 5).items, (Items{"y"}));
  EXPECT_TRUE(q.next("n", StartPosition::Newest, 5).items.empty());
  q.add({"z"});
  EXPECT_EQ(q.next("n", StartPosition::Oldest, 5).items, (Items{"z"}));
}

TEST(Mpmc, OldestOnEmptyLogReadsLaterAdds) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  EXPECT_TRUE(q.next("o", StartPosition::Oldest, 5).items.empty());
  q.add({"1", "2"});
  EXPECT_EQ(q.next("o", StartPosition::Oldest, 5).items, (Items{"1", "2"}));
}

TEST(Mpmc, NewestPicksTheLastElementOfASplitBatch) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  const Items big = numbered(0, 10000);  // several segments
  q.add(big);
  EXPECT_EQ(q.next("n", StartPosition::Newest, 5).items, (Items{"item-9999"}));
  EXPECT_EQ(q.next("o", StartPosition::Oldest, 20000).items, big);
  EXPECT_EQ(q.len(), 10000u);
}

TEST(Mpmc, LabelsReadIndependently) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  q.add(numbered(0, 6));
  EXPECT_EQ(q.next("a", StartPosition::Oldest, 4).items, numbered(0, 4));
  EXPECT_EQ(q.next("b", StartPosition::Oldest, 1).items, numbered(0, 1));
  EXPECT_EQ(q.next("b", StartPosition::Oldest, 1).items, numbered(1, 2));
  EXPECT_EQ(q.next("a", StartPosition::Oldest, 4).items, numbered(4, 6));
  EXPECT_EQ(q.labels(), (Items{"a", "b"}));
}

TEST(Mpmc, ZeroMaxElementsCreatesTheLabelWithoutReading) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  q.add({"x", "y"});
  EXPECT_TRUE(q.next("e", StartPosition::Newest, 0).items.empty());
  EXPECT_EQ(q.labels(), (Items{"e"}));
  EXPECT_EQ(q.next("e", StartPosition::Oldest, 5).items, (Items{"y"}));
}

TEST(Mpmc, RemovedLabelStartsAfresh) {
  TempDir dir;
  rocksq::MpmcQueue q(dir.path(), 3600);
  q.add({"x", "y", "z"});
  EXPECT_EQ(q.next("c", StartPosition::Oldest, 3).items, (Items{"x", "y", "z"}));
  EXPECT_TRUE(q.remove_label("c"));
  EXPECT_FALSE(q.remove_label("c"));
  EXPECT_FALSE(q.remove_label("never"));
  EXPECT_TRUE(q.labels().empty());
  EXPECT_EQ(q.next("c", StartPosition::Newest, 3).items, (Items{"z"}));
}

TEST(Mpmc, EverythingPersistsAcrossReopen) {
  TempDir dir;
  {
    rocksq::MpmcQueue q(dir.path(), 3600);
    q.add(numbered(0, 10));
    q.next("a", StartPosition::Oldest, 3);
    q.next("b", StartPosition::Newest, 0);
    q.next("c", StartPosition::Oldest, 10);
  }
  rocksq::MpmcQueue q(dir.path(), 3600);
  EXPECT_EQ(q.len(), 10u);
  EXPECT_EQ(q.payload_size(), 60u);
  EXPECT_EQ(q.labels(), (Items{"a", "b", "c"}));
  EXPECT_EQ(q.next("a", StartPosition::Newest, 2).items, numbered(3, 5));
  EXPECT_EQ(q.next("b", StartPosition::Oldest, 2).items, numbered(9, 10));
  EXPECT_TRUE(q.next("c", StartPosition::Oldest, 2).items.empty());
  q.add({"new"});
  EXPECT_EQ(q.next("c", StartPosition::Oldest, 2).items, (Items{"new"}));
}

TEST(Mpmc, ReadsFromDiskWhenMemoryBudgetIsExceeded) {
  TempDir dir;
  rocksq::Options options;
  options.memory_cache_bytes = 1000;
  rocksq::MpmcQueue q(dir.path(), 3600, options);
  for (int i = 0; i < 100; ++i) q.add(numbered(i * 10, i * 10 + 10));
  for (const char* label : {"a", "b"}) {
    Items all;
    for (;;) {
      auto got = q.next(label, StartPosition::Oldest, 7).items;
      if (got.empty()) break;
      all.insert(all.end(), got.begin(), got.end());
    }
    EXPECT_EQ(all, numbered(0, 1000));
  }
}

TEST(Mpmc, LenDropsAfterTtl) {
  TempDir dir;
  const auto clock = std::make_shared<ManualClock>();
  rocksq::MpmcQueue q(dir.path(), 1, with_clock(clock));
  q.add({"a", "bb"});
  clock->advance(std::chrono::milliseconds(999));
  EXPECT_EQ(q.len(), 2u);
  EXPECT_EQ(q.payload_size(), 3u);
  clock->advance(std::chrono::milliseconds(2));
  EXPECT_EQ(q.len(), 0u);
  EXPECT_TRUE(q.is_empty());
  EXPECT_EQ(q.payload_size(), 0u);
}

TEST(Mpmc, ExpiryRunsWithoutAnyCall) {
  TempDir dir;
  const auto clock = std::make_shared<ManualClock>();
  rocksq::MpmcQueue q(dir.path(), 1, with_clock(clock));
  q.add({"a", "bb"});
  clock->advance(std::chrono::seconds(2));
  // The worker's timer commits the expiry (within a second); inspect reads
  // the database with the real clock, by which the elements are fresh.
  EXPECT_TRUE(eventually([&] { return rocksq::inspect(dir.path()).len == 0; }));
}

TEST(Mpmc, ExpiredIsTrueOnlyWhenUnreadElementsWereRemoved) {
  TempDir dir;
  const auto clock = std::make_shared<ManualClock>();
  rocksq::MpmcQueue q(dir.path(), 1, with_clock(clock));
  q.next("caught_up", StartPosition::Oldest, 0);
  q.next("behind", StartPosition::Oldest, 0);
  q.add({"old1", "old2"});
  EXPECT_EQ(q.next("caught_up", StartPosition::Oldest, 5).items, (Items{"old1", "old2"}));
  EXPECT_EQ(q.next("behind", StartPosition::Oldest, 1).items, (Items{"old1"}));
  clock->advance(std::chrono::seconds(2));
  ASSERT_EQ(q.len(), 0u);
  q.add({"fresh"});
  auto behind = q.next("behind", StartPosition::Oldest, 5);
  EXPECT_TRUE(behind.expired);
  EXPECT_EQ(behind.items, (Items{"fresh"}));
  auto caught_up = q.next("caught_up", StartPosition::Oldest, 5);
  EXPECT_FALSE(caught_up.expired);
  EXPECT_EQ(caught_up.items, (Items{"fresh"}));
  // Reported once.
  EXPECT_FALSE(q.next("behind", StartPosition::Oldest, 5).expired);
}

TEST(Mpmc, ExpiredIsReportedEvenWhenNothingIsLeft) {
  TempDir dir;
  const auto clock = std::make_shared<ManualClock>();
  rocksq::MpmcQueue q(dir.path(), 1, with_clock(clock));
  q.add({"x"});
  q.next("l", StartPosition::Oldest, 0);
  clock->advance(std::chrono::seconds(2));
  ASSERT_EQ(q.len(), 0u);
  auto r = q.next("l", StartPosition::Oldest, 5);
  EXPECT_TRUE(r.expired);
  EXPECT_TRUE(r.items.empty());
  EXPECT_FALSE(q.next("l", StartPosition::Oldest, 5).expired);
}

TEST(Mpmc, InsertionTimeSurvivesReopen) {
  TempDir dir;
  const auto clock = std::make_shared<ManualClock>();
  {
    rocksq::MpmcQueue q(dir.path(), 1, with_clock(clock));
    q.add({"x"});
  }
  clock->advance(std::chrono::milliseconds(1100));
  {
    // A longer TTL on reopen applies to stored elements too.
    rocksq::MpmcQueue q(dir.path(), 3600, with_clock(clock));
    EXPECT_EQ(q.len(), 1u);
  }
  rocksq::MpmcQueue q(dir.path(), 1, with_clock(clock));
  EXPECT_EQ(q.len(), 0u);  // added more than a second ago
}

// Keys of the database at path starting with prefix (the log is closed).
std::size_t count_keys(const std::string& path, char prefix) {
  rocksdb::DB* raw = nullptr;
  rocksdb::Options options;
  EXPECT_TRUE(rocksdb::DB::OpenForReadOnly(options, path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(rocksdb::ReadOptions()));
  std::size_t n = 0;
  for (it->Seek(std::string(1, prefix)); it->Valid() && it->key()[0] == prefix; it->Next()) ++n;
  return n;
}

TEST(Mpmc, ExpiryDeletesSegmentsAndIndexEntries) {
  TempDir dir;
  const auto clock = std::make_shared<ManualClock>();
  {
    rocksq::MpmcQueue q(dir.path(), 1, with_clock(clock));
    for (int i = 0; i < 10; ++i) q.add(numbered(i, i + 1));
    EXPECT_EQ(count_keys(dir.path(), 'd'), 10u);
    clock->advance(std::chrono::seconds(2));
    ASSERT_EQ(q.len(), 0u);
    q.add({"kept"});
  }
  EXPECT_EQ(count_keys(dir.path(), 'd'), 1u);
  EXPECT_EQ(count_keys(dir.path(), 'i'), 1u);
}

TEST(Mpmc, LargeExpiryRemovesEverySegment) {
  TempDir dir;
  const auto clock = std::make_shared<ManualClock>();
  {
    rocksq::nonblocking::MpmcQueue q(dir.path(), 3600, with_clock(clock));
    std::vector<rocksq::Future<void>> adds;
    for (int i = 0; i < 3000; ++i) adds.push_back(q.add(numbered(i, i + 1)));
    for (auto& f : adds) f.get();
    q.next("l", StartPosition::Oldest, 10).get();
  }
  // Time passes while the log is closed: on reopen it all expires at once.
  clock->advance(std::chrono::milliseconds(1100));
  {
    rocksq::nonblocking::MpmcQueue q(dir.path(), 1, with_clock(clock));
    EXPECT_EQ(q.len().get(), 0u);
    q.add({"after"}).get();
    auto r = q.next("l", StartPosition::Oldest, 10).get();
    EXPECT_TRUE(r.expired);
    EXPECT_EQ(r.items, (Items{"after"}));
  }
  EXPECT_EQ(count_keys(dir.path(), 'd'), 1u);
  EXPECT_EQ(count_keys(dir.path(), 'i'), 1u);
  rocksq::MpmcQueue q(dir.path(), 3600);
  EXPECT_EQ(q.len(), 1u);
  EXPECT_EQ(q.next("l", StartPosition::Oldest, 10).items, Items{});
}

TEST(Mpmc, TtlMustBePositive) {
  TempDir dir;
  EXPECT_THROW(rocksq::MpmcQueue(dir.path(), 0), std::invalid_argument);
  EXPECT_THROW(rocksq::MpmcQueue(dir.path(), -5), std::invalid_argument);
  EXPECT_THROW(rocksq::MpmcQueue(dir.path(), rocksq::kMaxTtlSeconds + 1), std::invalid_argument);
  EXPECT_THROW(rocksq::nonblocking::MpmcQueue(dir.path(), 0), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.path()));
  rocksq::MpmcQueue q(dir.path(), std::chrono::minutes(5));
  EXPECT_EQ(q.ttl(), std::chrono::seconds(300));
}

TEST(Mpmc, OpenCloseAndRemove) {
  TempDir dir;
  {
    rocksq::MpmcQueue q(dir.path(), 60);
    q.add({"x"});
    EXPECT_THROW(rocksq::MpmcQueue(dir.path(), 60), rocksq::AlreadyOpenError);
    EXPECT_THROW(rocksq::remove_mpmc_queue(dir.path()), rocksq::AlreadyOpenError);
    q.close();
    q.close();
    EXPECT_THROW(q.len(), rocksq::ClosedError);
    EXPECT_THROW(q.next("l", StartPosition::Oldest), rocksq::ClosedError);
  }
  EXPECT_THROW(rocksq::PersistentQueueWithCapacity(dir.path()), rocksq::Error);
  rocksq::remove_mpmc_queue(dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.path()));
}

TEST(NonblockingMpmc, OperationsCompleteInOrderAndSeeEachOther) {
  TempDir dir;
  rocksq::nonblocking::MpmcQueue q(dir.path(), 3600);
  auto first = q.next("a", StartPosition::Newest, 5);
  auto add = q.add(numbered(0, 3));
  auto second = q.next("a", StartPosition::Oldest, 2);
  auto other = q.next("b", StartPosition::Newest, 5);
  auto labels = q.labels();
  auto removed = q.remove_label("b");
  auto missing = q.remove_label("zz");
  auto len = q.len();
  auto payload = q.payload_size();
  add.get();
  EXPECT_TRUE(first.get().items.empty());
  EXPECT_EQ(second.get().items, numbered(0, 2));
  EXPECT_EQ(other.get().items, numbered(2, 3));
  EXPECT_EQ(labels.get(), (Items{"a", "b"}));
  EXPECT_TRUE(removed.get());
  EXPECT_FALSE(missing.get());
  EXPECT_EQ(len.get(), 3u);
  EXPECT_EQ(payload.get(), 18u);
  EXPECT_GT(q.disk_size().get(), 0u);
  EXPECT_EQ(q.inflight_ops(), 0u);
}

TEST(NonblockingMpmc, DestructorCompletesPendingOperations) {
  TempDir dir;
  std::vector<rocksq::Future<void>> adds;
  rocksq::Future<rocksq::NextResult> read;
  {
    rocksq::nonblocking::MpmcQueue q(dir.path(), 3600, 4);
    for (int i = 0; i < 200; ++i) adds.push_back(q.add(numbered(i, i + 1)));
    read = q.next("l", StartPosition::Oldest, 150);
  }
  for (auto& f : adds) f.get();
  EXPECT_EQ(read.get().items, numbered(0, 150));
  rocksq::MpmcQueue q(dir.path(), 3600);
  EXPECT_EQ(q.next("l", StartPosition::Oldest, 1000).items, numbered(150, 200));
}

TEST(NonblockingMpmc, ClosedQueueRejectsCalls) {
  TempDir dir;
  rocksq::nonblocking::MpmcQueue q(dir.path(), 60);
  q.add({"a"}).get();
  q.close();
  q.close();
  EXPECT_THROW(q.len(), rocksq::ClosedError);
  EXPECT_THROW(q.next("l", StartPosition::Oldest), rocksq::ClosedError);
  EXPECT_THROW(rocksq::nonblocking::MpmcQueue(dir.path(), 60, 0), std::invalid_argument);
}

TEST(NonblockingMpmc, ManyLabelsReadConcurrently) {
  TempDir dir;
  rocksq::nonblocking::MpmcQueue q(dir.path(), 3600);
  q.add(numbered(0, 10)).get();
  std::vector<rocksq::Future<rocksq::NextResult>> reads;
  for (int label = 0; label < 1000; ++label) {
    reads.push_back(q.next("label-" + std::to_string(label), StartPosition::Oldest, 10));
  }
  for (auto& r : reads) EXPECT_EQ(r.get().items, numbered(0, 10));
  EXPECT_EQ(q.labels().get().size(), 1000u);
}
