// Leases: reserve, ack, release, their end, and what a reopen does to them.
#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/rocksq.hpp"
#include <rocksdb/iterator.h>

#include "storage/fifo_store.hpp"
#include "test_util.hpp"

using rocksq::kWaitForever;
using rocksq::LeaseError;
using rocksq::LeaseId;
using rocksq_test::ManualClock;
using rocksq_test::TempDir;
using Items = std::vector<std::string>;
using Fifo = rocksq::PersistentQueueWithCapacity;
using NbFifo = rocksq::nonblocking::PersistentQueueWithCapacity;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr milliseconds kLong = seconds(3600);

}  // namespace

TEST(Lease, ReserveTakesTheOldestAndAckRemovesThem) {
  TempDir dir;
  Fifo q(dir.path());
  q.push({"a", "b", "c"});
  const rocksq::Reservation r = q.reserve(2, kLong);
  EXPECT_EQ(r.items, (Items{"a", "b"}));
  EXPECT_EQ(r.deliveries, 1u);
  EXPECT_NE(r.lease, rocksq::kNoLease);
  EXPECT_EQ(q.len(), 3u);  // still held
  EXPECT_EQ(q.reserved(), 2u);
  EXPECT_EQ(q.payload_size(), 3u);
  EXPECT_EQ(q.peek(5), Items{"c"});
  EXPECT_EQ(q.pop(5), Items{"c"});  // never a reserved item
  q.ack(r.lease);
  EXPECT_EQ(q.len(), 0u);
  EXPECT_EQ(q.reserved(), 0u);
  EXPECT_EQ(q.payload_size(), 0u);
}

TEST(Lease, NothingToReserveMakesNoLease) {
  TempDir dir;
  Fifo q(dir.path());
  const rocksq::Reservation r = q.reserve(3, kLong);
  EXPECT_TRUE(r.items.empty());
  EXPECT_EQ(r.lease, rocksq::kNoLease);
  EXPECT_EQ(r.deliveries, 0u);
  EXPECT_THROW(q.ack(r.lease), LeaseError);
}

TEST(Lease, ReleasePutsItemsBackAheadInTheirOrder) {
  TempDir dir;
  Fifo q(dir.path());
  q.push({"a", "b", "c", "d", "e"});
  const auto first = q.reserve(2, kLong);
  const auto second = q.reserve(2, kLong);
  EXPECT_EQ(second.items, (Items{"c", "d"}));
  q.release(second.lease);
  q.release(first.lease);
  EXPECT_EQ(q.reserved(), 0u);
  EXPECT_EQ(q.peek(5), (Items{"a", "b", "c", "d", "e"}));
  const auto again = q.reserve(3, kLong);
  EXPECT_EQ(again.items, (Items{"a", "b", "c"}));
  EXPECT_EQ(again.deliveries, 2u);
  EXPECT_EQ(q.pop(5), (Items{"d", "e"}));
  EXPECT_EQ(q.len(), 3u);
}

TEST(Lease, ASplitChunkKeepsItsOrderAcrossAReopen) {
  TempDir dir;
  {
    Fifo q(dir.path());
    q.push({"a", "b", "c", "d"});
    q.release(q.reserve(3, kLong).lease);
    const auto one = q.reserve(1, kLong);  // splits a, b, c
    EXPECT_EQ(one.items, Items{"a"});
    EXPECT_EQ(one.deliveries, 2u);
    EXPECT_EQ(q.peek(5), (Items{"b", "c", "d"}));
  }
  Fifo q(dir.path());
  EXPECT_EQ(q.reserved(), 0u);
  const auto all = q.reserve(5, kLong);
  EXPECT_EQ(all.items, (Items{"a", "b", "c", "d"}));
  EXPECT_EQ(all.deliveries, 3u);  // a's third time
}

TEST(Lease, AckOrReleaseOfALeaseNotOpenFailsAndChangesNothing) {
  TempDir dir;
  Fifo q(dir.path());
  q.push({"a", "b"});
  const auto r = q.reserve(1, kLong);
  EXPECT_THROW(q.ack(LeaseId{static_cast<std::uint64_t>(r.lease) + 1}), LeaseError);
  EXPECT_THROW(q.release(LeaseId{12345}), LeaseError);
  q.ack(r.lease);
  EXPECT_THROW(q.ack(r.lease), LeaseError);
  EXPECT_THROW(q.release(r.lease), LeaseError);
  EXPECT_EQ(q.pop(5), Items{"b"});
}

TEST(Lease, ALeaseErrorFailsItsOperationAloneInAGroup) {
  TempDir dir;
  NbFifo q(dir.path());
  q.push({"a"}).get();
  rocksq::Future<void> push, bad;
  rocksq::Future<Items> pop;
  {
    const rocksq::QueueControl::Hold hold(q);
    push = q.push({"b"});
    bad = q.ack(LeaseId{7});
    pop = q.pop(5);
  }
  push.get();
  EXPECT_THROW(bad.get(), LeaseError);
  EXPECT_EQ(pop.get(), (Items{"a", "b"}));
}

TEST(Lease, NonPositiveDurationsAreRefused) {
  TempDir dir;
  Fifo q(dir.path());
  q.push({"a"});
  EXPECT_THROW(q.reserve(1, milliseconds(0)), std::invalid_argument);
  EXPECT_EQ(q.reserved(), 0u);
}

TEST(Lease, ReservedItemsCountAgainstCapacity) {
  TempDir dir;
  Fifo q(dir.path(), 3);
  q.push({"a", "b", "c"});
  const auto r = q.reserve(2, kLong);
  EXPECT_THROW(q.push({"d"}), rocksq::QueueFullError);
  q.ack(r.lease);
  q.push({"d", "e"});
  EXPECT_EQ(q.len(), 3u);
}

TEST(Lease, ALeaseEndsByItselfWhenItsTimeIsUp) {
  TempDir dir;
  auto clock = std::make_shared<ManualClock>();
  Fifo q(dir.path(), rocksq::kDefaultMaxElements, rocksq_test::with_clock(clock));
  q.push({"a", "b"});
  const auto r = q.reserve(1, seconds(10));
  clock->advance(seconds(9));
  EXPECT_EQ(q.reserved(), 1u);
  clock->advance(seconds(2));
  EXPECT_EQ(q.reserved(), 0u);
  EXPECT_THROW(q.ack(r.lease), LeaseError);
  const auto again = q.reserve(2, seconds(10));
  EXPECT_EQ(again.items, (Items{"a", "b"}));
  EXPECT_EQ(again.deliveries, 2u);
  EXPECT_NE(again.lease, r.lease);
}

TEST(Lease, AReopenReleasesEveryLeaseAndKeepsAcks) {
  TempDir dir;
  LeaseId old;
  {
    Fifo q(dir.path());
    q.push({"1", "2", "3", "4", "5", "6"});
    const auto first = q.reserve(2, kLong);
    const auto second = q.reserve(2, kLong);
    q.ack(second.lease);  // a hole: 3, 4 gone for good
    old = first.lease;
  }
  Fifo q(dir.path());
  EXPECT_EQ(q.len(), 4u);
  EXPECT_EQ(q.reserved(), 0u);
  EXPECT_EQ(q.payload_size(), 4u);
  EXPECT_THROW(q.ack(old), LeaseError);  // ids are not reused
  const auto r = q.reserve(1, kLong);
  EXPECT_EQ(r.items, Items{"1"});
  EXPECT_EQ(r.deliveries, 2u);
  EXPECT_EQ(q.pop(10), (Items{"2", "5", "6"}));
}

TEST(Lease, AWaitingReserveIsServedByAPushOrARelease) {
  TempDir dir;
  NbFifo q(dir.path());
  auto waiting = q.reserve(5, kLong, kWaitForever);
  q.len().get();
  EXPECT_FALSE(waiting.is_ready());
  q.push({"a"}).get();
  const auto got = waiting.get();
  EXPECT_EQ(got.items, Items{"a"});
  // Everything is reserved: a second waiting reserve waits for the release.
  auto second = q.reserve(5, kLong, kWaitForever);
  q.len().get();
  EXPECT_FALSE(second.is_ready());
  q.release(got.lease).get();
  const auto again = second.get();
  EXPECT_EQ(again.items, Items{"a"});
  EXPECT_EQ(again.deliveries, 2u);
}

TEST(Lease, AWaitingReserveIsServedWhenALeaseEnds) {
  TempDir dir;
  NbFifo q(dir.path());
  q.push({"a"}).get();
  const auto first = q.reserve(1, milliseconds(20)).get();
  ASSERT_EQ(first.items, Items{"a"});
  // Served by the worker's timed work, whenever the lease ends.
  const auto again = q.reserve(1, kLong, kWaitForever).get();
  EXPECT_EQ(again.items, Items{"a"});
  EXPECT_EQ(again.deliveries, 2u);
}

TEST(Lease, AWaitingPopSkipsReservedItems) {
  TempDir dir;
  NbFifo q(dir.path());
  q.push({"a"}).get();
  const auto r = q.reserve(1, kLong).get();
  auto waiting = q.pop(1, kWaitForever);
  q.len().get();
  EXPECT_FALSE(waiting.is_ready());
  q.release(r.lease).get();
  EXPECT_EQ(waiting.get(), Items{"a"});
}

// A failed group leaves the lease state as the last commit did.
TEST(LeaseStore, RollbackUndoesEveryStagedLeaseChange) {
  TempDir dir;
  rocksq::internal::FifoStore s(dir.path(), 100, rocksq::Options());
  s.push({"a", "b", "c", "d"});
  const auto kept = s.reserve(1, kLong);
  const auto split = s.reserve(2, kLong);
  s.release(split.lease);
  s.commit();
  ASSERT_EQ(s.reserved(), 1u);

  const auto r = s.reserve(1, kLong);  // splits b, c
  s.ack(kept.lease);
  s.push({"e"});
  EXPECT_EQ(s.pop(10), (Items{"c", "d", "e"}));
  EXPECT_EQ(r.items, Items{"b"});
  s.rollback();

  EXPECT_EQ(s.len(), 4u);
  EXPECT_EQ(s.reserved(), 1u);
  EXPECT_EQ(s.payload_size(), 4u);
  EXPECT_EQ(s.peek(10), (Items{"b", "c", "d"}));
  EXPECT_THROW(s.ack(r.lease), LeaseError);
  s.ack(kept.lease);
  s.commit();
  EXPECT_EQ(s.len(), 3u);
}

// A reservation of many segments' worth of items is stored as as many
// records, each no bigger than a segment, and keeps its order.
TEST(LeaseStore, ABigReservationIsStoredInSegmentSizedRecords) {
  TempDir dir;
  const std::string item(100 << 10, 'x');  // 10 items fill a segment
  Items items;
  for (int i = 0; i < 35; ++i) items.push_back(std::to_string(i) + item);
  {
    rocksq::internal::FifoStore s(dir.path(), 100, rocksq::Options());
    s.push(Items(items));
    s.commit();
    EXPECT_EQ(s.reserve(35, kLong).items, items);
    s.commit();
  }
  rocksq::internal::Database db(dir.path(), rocksq::internal::QueueKind::kFifo, rocksq::Options());
  std::unique_ptr<rocksdb::Iterator> it(db.db()->NewIterator(rocksdb::ReadOptions()));
  int records = 0;
  for (it->Seek("r"); it->Valid() && it->key().starts_with("r"); it->Next()) {
    ++records;
    EXPECT_LE(it->value().size(), rocksq::internal::kSegmentMaxBytes + 64);
  }
  EXPECT_GE(records, 4);
}

TEST(LeaseStore, AnItemTooBigIsRefusedAlone) {
  TempDir dir;
  EXPECT_THROW(rocksq::internal::check_item_sizes({"ab", "abcd"}, dir.path(), "push", 3),
               std::invalid_argument);
  rocksq::internal::check_item_sizes({"ab", "abc"}, dir.path(), "push", 3);
}
