#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <rocksdb/db.h>
#include <sys/wait.h>
#include <unistd.h>

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
  std::vector<rocksq::Future<void>> pushes;
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
  std::vector<rocksq::Future<void>> pushes;
  rocksq::Future<std::size_t> len;
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

TEST(Fifo, DamagedMetadataIsReportedAtOpen) {
  TempDir dir;
  { rocksq::PersistentQueueWithCapacity(dir.path()).push({"a", "b"}); }
  {
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(rocksdb::Options(), dir.path(), &raw).ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "m", "\x01garbage").ok());
    ASSERT_TRUE(db->Close().ok());
  }
  try {
    rocksq::PersistentQueueWithCapacity q(dir.path());
    FAIL() << "opened a queue with damaged metadata";
  } catch (const rocksq::CorruptionError& e) {
    EXPECT_NE(std::string(e.what()).find(dir.path()), std::string::npos) << e.what();
  }
  EXPECT_THROW(rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path()),
               rocksq::CorruptionError);
}

TEST(Fifo, DurableWritesWork) {
  TempDir dir;
  rocksq::Options options;
  options.durable = true;
  {
    rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), 10, 4, options);
    for (int i = 0; i < 20; ++i) q.push(numbered(i, i + 1));
    q.push({}).get();
  }
  rocksq::PersistentQueueWithCapacity q(dir.path(), 10, options);
  EXPECT_EQ(q.pop(100), numbered(0, 10));
}

// Runs child_body in a forked child; returns its exit status (or -1).
template <typename Fn>
int in_forked_child(Fn child_body) {
  const pid_t pid = fork();
  if (pid == 0) _exit(child_body());  // no gtest teardown in the child
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

TEST(Fork, QueuesOpenedBeforeForkRefuseWorkInTheChild) {
  TempDir dir;
  rocksq::nonblocking::PersistentQueueWithCapacity nb(dir.path("nb"));
  rocksq::PersistentQueueWithCapacity b(dir.path("b"));
  nb.push({"a"}).get();
  b.push({"x"});
  // Pending at the fork: the worker is held until the child has been made.
  auto hold = std::make_unique<rocksq::QueueControl::Hold>(nb);
  auto pending = nb.push(std::vector<std::string>(2000, std::string(1000, 'p')));
  const int status = in_forked_child([&] {
    int failures = 0;
    auto expect_fork_error = [&](auto call) {
      try {
        call();
        ++failures;
      } catch (const rocksq::ClosedError& e) {
        if (std::string(e.what()).find("fork") == std::string::npos) ++failures;
      } catch (...) {
        ++failures;
      }
    };
    expect_fork_error([&] { pending.get(); });  // its worker is the parent's
    expect_fork_error([&] { nb.push({"c"}); });
    expect_fork_error([&] { nb.len(); });
    expect_fork_error([&] { b.push({"z"}); });
    expect_fork_error([&] { b.pop(1); });
    // A queue opened in the child works; the inherited ones are destroyed
    // below without joining or closing anything of the parent's.
    rocksq::PersistentQueueWithCapacity mine(dir.path("child"));
    mine.push({"c"});
    if (mine.pop(1) != std::vector<std::string>{"c"}) ++failures;
    nb.close();
    b.close();
    return failures;
  });
  EXPECT_EQ(status, 0);
  hold.reset();
  pending.get();
  EXPECT_EQ(nb.pop(1).get(), std::vector<std::string>{"a"});
  EXPECT_EQ(nb.len().get(), 2000u);
  EXPECT_EQ(b.pop(5), std::vector<std::string>{"x"});
}

TEST(Fork, DestroyingInheritedQueuesInTheChildDoesNotHang) {
  TempDir dir;
  auto nb = std::make_unique<rocksq::nonblocking::PersistentQueueWithCapacity>(dir.path("nb"));
  nb->push({"a"}).get();
  const int status = in_forked_child([&] {
    nb.reset();  // its worker thread does not exist here
    return 0;
  });
  EXPECT_EQ(status, 0);
  EXPECT_EQ(nb->pop(1).get(), std::vector<std::string>{"a"});
}
