// Issue 14, item 7: a power loss (every write not yet synced is lost, or
// torn) with durable = true keeps every acknowledged operation; without it
// the queue reopens consistent: as it was after some prefix of the
// acknowledged operations.  Killing the process (the crash tests) never
// loses the page cache; PowerLossFileSystem does.
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "power_loss_fs.hpp"
#include "rocksq/rocksq.hpp"
#include "test_util.hpp"

using rocksq_test::PowerLossFileSystem;
using rocksq_test::TempDir;

namespace {

constexpr int kRounds = 20;
// Each round of the test without durable writes ~18 MiB (TSan: ~5 s).
constexpr int kBulkRounds = 10;

struct Outcome {
  std::uint64_t dropped_bytes = 0;
  std::size_t acked_ops = 0;
  std::size_t survived = 0;  // items in the queue after the power loss
};

std::string item(std::uint64_t n, std::mt19937_64& random, std::size_t max_size) {
  std::string s = std::to_string(n) + ":";
  s.resize(s.size() + std::uniform_int_distribution<std::size_t>(0, max_size)(random), 'x');
  return s;
}

// One round: random pushes and pops, then a power loss, then a reopen.
// The queue's contents are always pushed[popped, pushed.size()): history
// holds (popped, pushed) after each acknowledged operation.
Outcome round(std::uint64_t seed, bool durable, std::size_t ops, std::size_t max_item) {
  std::mt19937_64 random(seed);
  TempDir dir;
  auto [fs, env] = PowerLossFileSystem::make();
  std::vector<std::string> pushed;
  std::size_t popped = 0;
  std::vector<std::pair<std::size_t, std::size_t>> history{{0, 0}};
  Outcome outcome;
  {
    rocksq::Options options;
    options.durable = durable;
    options.env = env;
    rocksq::PersistentQueueWithCapacity q(dir.path(), rocksq::kDefaultMaxElements, options);
    for (std::size_t op = 0; op < ops; ++op) {
      if (std::uniform_int_distribution<int>(0, 3)(random) == 0 && popped < pushed.size()) {
        const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 5)(random);
        popped += q.pop(n).size();
      } else {
        std::vector<std::string> batch;
        const int n = std::uniform_int_distribution<int>(1, 4)(random);
        for (int i = 0; i < n; ++i) batch.push_back(item(pushed.size() + i, random, max_item));
        q.push(batch);
        pushed.insert(pushed.end(), batch.begin(), batch.end());
      }
      history.emplace_back(popped, pushed.size());
    }
    outcome.acked_ops = ops;
    fs->power_loss();
  }  // closing without power writes nothing more
  outcome.dropped_bytes = fs->drop_unsynced(random, /*torn=*/seed % 2 == 1);

  rocksq::PersistentQueueWithCapacity q(dir.path());
  std::vector<std::string> contents;
  try {
    contents = q.pop(pushed.size() + 1);
  } catch (const rocksq::Error& e) {
    ADD_FAILURE() << "seed " << seed << " (torn: " << seed % 2 << "): " << e.what();
    return outcome;
  }
  outcome.survived = contents.size();
  const auto matches = [&](std::pair<std::size_t, std::size_t> state) {
    return contents == std::vector<std::string>(pushed.begin() + state.first,
                                                pushed.begin() + state.second);
  };
  if (durable) {
    EXPECT_TRUE(matches(history.back()))
        << "seed " << seed << ": " << contents.size() << " items, expected "
        << history.back().second - history.back().first;
  } else {
    bool found = false;
    for (const auto& state : history) found = found || matches(state);
    EXPECT_TRUE(found) << "seed " << seed << ": the " << contents.size()
                       << " items are not the queue after any prefix of the operations";
  }
  // Usable after the power loss.
  q.push({"after"});
  EXPECT_EQ(q.pop(1), std::vector<std::string>{"after"});
  return outcome;
}

}  // namespace

TEST(PowerLoss, DurableKeepsEveryAcknowledgedOperation) {
  std::uint64_t dropped = 0;
  for (int seed = 0; seed < kRounds; ++seed) {
    const Outcome outcome = round(seed, /*durable=*/true, 60, 2000);
    dropped += outcome.dropped_bytes;
  }
  RecordProperty("dropped_bytes", static_cast<int>(dropped));
}

TEST(PowerLoss, NotDurableReopensAsAfterAPrefixOfTheOperations) {
  std::uint64_t dropped = 0;
  std::size_t survived = 0;
  for (int seed = 0; seed < kBulkRounds; ++seed) {
    // Enough data (~20 MiB) for a memtable flush within each round, so that
    // part of what was acknowledged survives, and a flush may be running at
    // the power loss (before the fix, the torn rounds then left a hole: a
    // missing segment).
    const Outcome outcome = round(1000 + seed, /*durable=*/false, 200, 100000);
    dropped += outcome.dropped_bytes;
    survived += outcome.survived;
  }
  EXPECT_GT(dropped, 0u);
  RecordProperty("survived_items", static_cast<int>(survived));
}

namespace {

// The same for an MPMC log read by one label: its state is (items added,
// items the label has read); after the power loss a new label reads the
// added items, the old one the rest.
void mpmc_round(std::uint64_t seed, bool durable, std::size_t ops, std::size_t max_item) {
  std::mt19937_64 random(seed);
  TempDir dir;
  auto [fs, env] = PowerLossFileSystem::make();
  std::vector<std::string> added;
  std::size_t read = 0;
  std::vector<std::pair<std::size_t, std::size_t>> history{{0, 0}};
  const auto ttl = std::chrono::seconds(3600);
  {
    rocksq::Options options;
    options.durable = durable;
    options.env = env;
    rocksq::MpmcQueue log(dir.path(), ttl, options);
    for (std::size_t op = 0; op < ops; ++op) {
      if (std::uniform_int_distribution<int>(0, 2)(random) == 0) {
        const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 5)(random);
        read += log.next("r", rocksq::StartPosition::Oldest, n).items.size();
      } else {
        std::vector<std::string> batch;
        const int n = std::uniform_int_distribution<int>(1, 4)(random);
        for (int i = 0; i < n; ++i) batch.push_back(item(added.size() + i, random, max_item));
        log.add(batch);
        added.insert(added.end(), batch.begin(), batch.end());
      }
      history.emplace_back(added.size(), read);
    }
    fs->power_loss();
  }
  fs->drop_unsynced(random, /*torn=*/seed % 2 == 1);

  rocksq::MpmcQueue log(dir.path(), ttl);
  std::vector<std::string> all;
  std::vector<std::string> rest;
  try {
    all = log.next("new", rocksq::StartPosition::Oldest, added.size() + 1).items;
    rest = log.next("r", rocksq::StartPosition::Oldest, added.size() + 1).items;
  } catch (const rocksq::Error& e) {
    ADD_FAILURE() << "seed " << seed << " (torn: " << seed % 2 << "): " << e.what();
    return;
  }
  const auto matches = [&](std::pair<std::size_t, std::size_t> state) {
    const auto end = added.begin() + state.first;
    // A label the log lost starts again at the oldest item.
    const auto from = state.second == 0 ? added.begin() : added.begin() + state.second;
    return all == std::vector<std::string>(added.begin(), end) &&
           rest == std::vector<std::string>(from, end);
  };
  if (durable) {
    EXPECT_TRUE(matches(history.back())) << "seed " << seed << ": " << all.size() << " items, "
                                         << rest.size() << " unread";
  } else {
    bool found = false;
    for (const auto& state : history) found = found || matches(state);
    EXPECT_TRUE(found) << "seed " << seed << ": " << all.size() << " items, " << rest.size()
                       << " unread: not the log after any prefix of the operations";
  }
  log.add({"after"});
  EXPECT_EQ(log.next("new", rocksq::StartPosition::Oldest).items, std::vector<std::string>{"after"});
}

}  // namespace

TEST(PowerLoss, MpmcDurableKeepsEveryAcknowledgedOperation) {
  for (int seed = 0; seed < kRounds; ++seed) mpmc_round(2000 + seed, true, 60, 2000);
}

TEST(PowerLoss, MpmcNotDurableReopensAsAfterAPrefixOfTheOperations) {
  // Fewer rounds: each takes ~1.4 s (~15 s under TSan).
  for (int seed = 0; seed < 4; ++seed) mpmc_round(3000 + seed, false, 200, 100000);
}
