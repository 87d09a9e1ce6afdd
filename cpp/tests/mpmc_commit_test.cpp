// MPMC reads that commit later: next(..., commit = false) and commit(label).
#include <chrono>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "rocksq/rocksq.hpp"
#include "storage/mpmc_store.hpp"
#include "test_util.hpp"

using rocksq::StartPosition;
using rocksq_test::TempDir;
using Items = std::vector<std::string>;
using Log = rocksq::MpmcQueue;

namespace {

constexpr std::chrono::seconds kTtl(3600);
constexpr std::chrono::nanoseconds kNoWait{};

Items next_items(Log& log, const std::string& label, std::size_t n, bool commit) {
  return log.next(label, StartPosition::Oldest, n, kNoWait, commit).items;
}

}  // namespace

TEST(MpmcCommit, ReadsNotCommittedAreDeliveredAgainAfterAReopen) {
  TempDir dir;
  {
    Log log(dir.path(), kTtl);
    log.add({"a", "b", "c"});
    EXPECT_EQ(next_items(log, "x", 2, false), (Items{"a", "b"}));
    EXPECT_EQ(next_items(log, "x", 5, false), Items{"c"});  // goes on in memory
    EXPECT_TRUE(log.labels().empty());  // never committed
  }
  Log log(dir.path(), kTtl);
  EXPECT_TRUE(log.labels().empty());
  EXPECT_EQ(next_items(log, "x", 5, true), (Items{"a", "b", "c"}));
}

TEST(MpmcCommit, CommitMakesTheCursorDurable) {
  TempDir dir;
  {
    Log log(dir.path(), kTtl);
    log.add({"a", "b", "c", "d"});
    EXPECT_EQ(next_items(log, "x", 2, false), (Items{"a", "b"}));
    log.commit("x");
    EXPECT_EQ(log.labels(), Items{"x"});
    EXPECT_EQ(next_items(log, "x", 1, false), Items{"c"});
    // peek shows where a reopen resumes.
    EXPECT_EQ(log.peek("x", StartPosition::Oldest, 5).items, (Items{"c", "d"}));
  }
  Log log(dir.path(), kTtl);
  EXPECT_EQ(next_items(log, "x", 5, true), (Items{"c", "d"}));
}

TEST(MpmcCommit, ACommittingReadCommitsTheReadsBeforeIt) {
  TempDir dir;
  {
    Log log(dir.path(), kTtl);
    log.add({"a", "b", "c"});
    next_items(log, "x", 1, false);
    EXPECT_EQ(next_items(log, "x", 1, true), Items{"b"});
    EXPECT_TRUE(next_items(log, "y", 0, false).empty());
    EXPECT_EQ(next_items(log, "y", 5, false), (Items{"a", "b", "c"}));
    EXPECT_TRUE(next_items(log, "y", 5, true).empty());  // nothing more, but commits
  }
  Log log(dir.path(), kTtl);
  EXPECT_EQ(log.labels(), (Items{"x", "y"}));
  EXPECT_EQ(next_items(log, "x", 5, true), Items{"c"});
  EXPECT_TRUE(next_items(log, "y", 5, true).empty());
}

TEST(MpmcCommit, CommitOfAnUnknownLabelFailsAndNothingToCommitIsFine) {
  TempDir dir;
  Log log(dir.path(), kTtl);
  EXPECT_THROW(log.commit("nobody"), std::invalid_argument);
  log.add({"a"});
  next_items(log, "x", 1, true);
  log.commit("x");  // nothing to commit
  EXPECT_TRUE(log.remove_label("x"));
  next_items(log, "z", 1, false);
  EXPECT_TRUE(log.remove_label("z"));  // a label read only uncommitted
  EXPECT_THROW(log.commit("z"), std::invalid_argument);
}

TEST(MpmcCommit, AWaitingReadCanCommitLater) {
  TempDir dir;
  rocksq::nonblocking::MpmcQueue log(dir.path(), kTtl);
  auto waiting = log.next("x", StartPosition::Oldest, 5, rocksq::kWaitForever, false);
  log.len().get();
  EXPECT_FALSE(waiting.is_ready());
  log.add({"a"}).get();
  EXPECT_EQ(waiting.get().items, Items{"a"});
  EXPECT_TRUE(log.labels().get().empty());
  log.commit("x").get();
  EXPECT_EQ(log.labels().get(), Items{"x"});
}

// A failed group forgets reads not committed: they are delivered again.
TEST(MpmcCommitStore, RollbackForgetsReadsNotCommitted) {
  TempDir dir;
  rocksq::internal::MpmcStore s(dir.path(), kTtl, rocksq::Options());
  s.add({"a", "b", "c"});
  s.next("x", StartPosition::Oldest, 1, true);
  s.commit();
  EXPECT_EQ(s.next("x", StartPosition::Oldest, 1, false).items, Items{"b"});
  s.commit();  // writes nothing for x
  s.rollback();
  EXPECT_EQ(s.next("x", StartPosition::Oldest, 5, false).items, (Items{"b", "c"}));
}
