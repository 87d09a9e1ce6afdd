#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include "rocksq/rocksq.hpp"
#include "test_util.hpp"

using rocksq_test::TempDir;
using Items = std::vector<std::string>;

namespace {

// Writes key = value straight into the (closed) database at path.
void put_raw(const std::string& path, const std::string& key, const std::string& value) {
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(options, path, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), key, value).ok());
}

}  // namespace

TEST(Inspect, FifoWhileOpenWithHeadInsideASegment) {
  TempDir dir;
  rocksq::PersistentQueueWithCapacity q(dir.path());
  q.push({"a", "bb", "ccc"});
  q.push({"dddd"});
  ASSERT_EQ(q.pop(1), Items{"a"});

  const rocksq::QueueInfo info = rocksq::inspect(dir.path());
  EXPECT_EQ(info.kind, "fifo");
  EXPECT_EQ(info.len, 3u);
  EXPECT_EQ(info.payload_size, 9u);
  EXPECT_GT(info.disk_size, 0u);
  EXPECT_FALSE(info.ttl.has_value());
  EXPECT_TRUE(info.labels.empty());

  EXPECT_EQ(rocksq::peek(dir.path(), 2), (Items{"bb", "ccc"}));
  EXPECT_EQ(rocksq::peek(dir.path(), 10), (Items{"bb", "ccc", "dddd"}));
  EXPECT_EQ(rocksq::peek(dir.path(), 0), Items{});
  EXPECT_THROW(rocksq::peek(dir.path(), 1, "reader"), std::invalid_argument);
  // Nothing was consumed.
  EXPECT_EQ(q.pop(10), (Items{"bb", "ccc", "dddd"}));
  EXPECT_EQ(rocksq::inspect(dir.path()).len, 0u);
}

TEST(Inspect, MissingQueueNamesThePath) {
  TempDir dir;
  try {
    rocksq::inspect(dir.path("nothing"));
    FAIL() << "inspect of a missing queue did not throw";
  } catch (const rocksq::Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path("nothing")), std::string::npos) << e.what();
  }
  EXPECT_THROW(rocksq::peek("", 1), std::invalid_argument);
}

TEST(Inspect, ForeignDatabaseIsNotAQueue) {
  TempDir dir;
  put_raw(dir.path(), "x", "y");
  EXPECT_THROW(rocksq::inspect(dir.path()), rocksq::Error);
}

TEST(Inspect, DamagedMetadataIsCorruption) {
  TempDir dir;
  { rocksq::PersistentQueueWithCapacity q(dir.path()); q.push({"a"}); }
  put_raw(dir.path(), "m", "\x01\x02");
  EXPECT_THROW(rocksq::inspect(dir.path()), rocksq::CorruptionError);
  EXPECT_THROW(rocksq::peek(dir.path(), 1), rocksq::CorruptionError);
}

TEST(Inspect, MpmcLagsTtlAndPeekByLabel) {
  TempDir dir;
  rocksq::MpmcQueue log(dir.path(), std::chrono::hours(2));
  log.add({"a", "b", "c"});
  log.add({"d"});
  log.next("late", rocksq::StartPosition::Oldest, 1);
  log.next("mid", rocksq::StartPosition::Oldest, 3);

  const rocksq::QueueInfo info = rocksq::inspect(dir.path());
  EXPECT_EQ(info.kind, "mpmc");
  EXPECT_EQ(info.len, 4u);
  EXPECT_EQ(info.payload_size, 4u);
  ASSERT_TRUE(info.ttl.has_value());
  EXPECT_EQ(*info.ttl, std::chrono::hours(2));
  ASSERT_TRUE(info.oldest_age.has_value());
  EXPECT_LT(*info.oldest_age, std::chrono::minutes(1));
  ASSERT_EQ(info.labels.size(), 2u);
  EXPECT_EQ(info.labels[0].label, "late");
  EXPECT_EQ(info.labels[0].lag, 3u);
  EXPECT_EQ(info.labels[1].label, "mid");
  EXPECT_EQ(info.labels[1].lag, 1u);

  EXPECT_EQ(rocksq::peek(dir.path(), 2), (Items{"a", "b"}));
  EXPECT_EQ(rocksq::peek(dir.path(), 10, "late"), (Items{"b", "c", "d"}));
  EXPECT_EQ(rocksq::peek(dir.path(), 10, "mid"), Items{"d"});
  EXPECT_THROW(rocksq::peek(dir.path(), 1, "nobody"), std::invalid_argument);
  // Peeking moved no cursor.
  EXPECT_EQ(log.next("mid", rocksq::StartPosition::Oldest, 10).items, Items{"d"});
}
