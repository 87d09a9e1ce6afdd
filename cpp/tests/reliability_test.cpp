// Issue 14: bad paths, racing opens, disk full and power loss.
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "rocksq/rocksq.hpp"
#include "test_util.hpp"

using rocksq_test::TempDir;

namespace {

const std::string kNul("\0", 1);

// Runs f in a forked child: its exit status (0: f returned true).
template <typename F>
int in_child(F f) {
  const pid_t pid = fork();
  if (pid == 0) _exit(f() ? 0 : 1);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100;
}

}  // namespace

// Before the fix each of these reached RocksDB, whose logger spun forever.
TEST(Reliability, NulByteInPathIsInvalidArgument) {
  TempDir dir;
  const std::string path = dir.path() + kNul + "tail";
  EXPECT_THROW(rocksq::PersistentQueueWithCapacity q(path), std::invalid_argument);
  EXPECT_THROW(rocksq::MpmcQueue q(path, std::chrono::seconds(60)), std::invalid_argument);
  EXPECT_THROW(rocksq::remove_queue(path), std::invalid_argument);
  EXPECT_THROW(rocksq::remove_mpmc_queue(path), std::invalid_argument);
  EXPECT_THROW(rocksq::inspect(path), std::invalid_argument);
  EXPECT_THROW(rocksq::peek(path, 1), std::invalid_argument);
  try {
    rocksq::PersistentQueueWithCapacity q(path);
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("path must not contain a NUL byte"), std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path()));
}

// In the Fork suite: TSan cannot follow a fork() (tools/sanitize.sh).
TEST(Fork, QueueLockedByAnotherProcessIsAlreadyOpen) {
  TempDir dir;
  rocksq::PersistentQueueWithCapacity q(dir.path());
  q.push({"kept"});
  const auto try_open = [&] {
    try {
      rocksq::PersistentQueueWithCapacity other(dir.path());
    } catch (const rocksq::AlreadyOpenError& e) {
      return std::string(e.what()).find(dir.path()) != std::string::npos;
    }
    return false;
  };
  const auto try_remove = [&] {
    try {
      rocksq::remove_queue(dir.path());
    } catch (const rocksq::AlreadyOpenError&) {
      return true;
    }
    return false;
  };
  EXPECT_EQ(in_child(try_open), 0);
  EXPECT_EQ(in_child(try_remove), 0);
  EXPECT_EQ(q.pop(1), std::vector<std::string>{"kept"});
}

// A creation that stopped after taking the lock (a crash) leaves only the
// lock file: the queue opens, and remove_queue removes it.
TEST(Reliability, DirectoryHoldingOnlyTheLockFileIsEmpty) {
  TempDir dir;
  std::filesystem::create_directories(dir.path());
  { std::ofstream(dir.path() + "/rocksq.lock"); }
  { rocksq::PersistentQueueWithCapacity q(dir.path()); }
  rocksq::remove_queue(dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.path()));
  std::filesystem::create_directories(dir.path());
  { std::ofstream(dir.path() + "/rocksq.lock"); }
  rocksq::remove_queue(dir.path());
  EXPECT_FALSE(std::filesystem::exists(dir.path()));
}
