// Queues shared by several processes (Options::shared): the wire format, a
// client's operations, a clean handover and a takeover after a kill.  The
// other process is a forked child that owns the queue.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "remote/wire.hpp"
#include "rocksq/error.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "rocksq/persistent_queue.hpp"
#include "test_util.hpp"

namespace {

using rocksq_test::TempDir;

rocksq::Options shared() {
  rocksq::Options options;
  options.shared = true;
  return options;
}

// A child process that opens the queue first (so it owns it) and holds it
// until told to close, or until killed.
class OwnerProcess {
 public:
  template <typename Open>
  explicit OwnerProcess(Open open) {
    int ready[2];
    int control[2];
    if (::pipe(ready) != 0 || ::pipe(control) != 0) std::abort();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(control[1]);
      {
        auto queue = open();
        char byte = 'r';
        if (::write(ready[1], &byte, 1) != 1) ::_exit(2);
        while (::read(control[0], &byte, 1) > 0) {
        }
        queue->close();
      }
      ::_exit(0);
    }
    ::close(ready[1]);
    ::close(control[0]);
    control_ = control[1];
    char byte = 0;
    EXPECT_EQ(::read(ready[0], &byte, 1), 1);
    ::close(ready[0]);
  }
  ~OwnerProcess() { close(); }

  // Closes the queue there (cleanly) and waits for the process.
  void close() {
    if (pid_ <= 0) return;
    ::close(control_);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    pid_ = -1;
  }
  void kill() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    ::close(control_);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int control_ = -1;
};

OwnerProcess fifo_owner(const std::string& path, std::size_t max_elements = 1000) {
  return OwnerProcess([&] {
    return std::make_unique<rocksq::PersistentQueueWithCapacity>(path, max_elements, shared());
  });
}

std::vector<std::string> numbers(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back(std::to_string(i));
  return out;
}

TEST(WireTest, EveryTypeRoundTrips) {
  using namespace rocksq::internal::wire;
  std::string body;
  Writer w(&body);
  rocksq::Reservation reservation{{"a", ""}, rocksq::LeaseId{7}, 3};
  rocksq::NextResult next{{"x"}, true};
  w.put(std::uint64_t{1} << 40);
  w.put(true);
  w.put(std::vector<std::string>{"", std::string(1000, 'z')});
  w.put(std::chrono::nanoseconds(-5));
  w.put(rocksq::StartPosition::Newest);
  w.put(reservation);
  w.put(next);
  Reader r(body);
  EXPECT_EQ(r.get<std::uint64_t>(), std::uint64_t{1} << 40);
  EXPECT_TRUE(r.get<bool>());
  EXPECT_EQ(r.get<std::vector<std::string>>(),
            (std::vector<std::string>{"", std::string(1000, 'z')}));
  EXPECT_EQ(r.get<std::chrono::nanoseconds>(), std::chrono::nanoseconds(-5));
  EXPECT_EQ(r.get<rocksq::StartPosition>(), rocksq::StartPosition::Newest);
  const auto got = r.get<rocksq::Reservation>();
  EXPECT_EQ(got.items, reservation.items);
  EXPECT_EQ(got.lease, reservation.lease);
  EXPECT_EQ(got.deliveries, 3u);
  const auto got_next = r.get<rocksq::NextResult>();
  EXPECT_EQ(got_next.items, next.items);
  EXPECT_TRUE(got_next.expired);
  EXPECT_TRUE(r.done());
}

TEST(WireTest, TruncatedInputIsMalformedNotACrash) {
  using namespace rocksq::internal::wire;
  std::string body;
  Writer w(&body);
  w.put(std::vector<std::string>{"abc", "def"});
  for (std::size_t cut = 0; cut < body.size(); ++cut) {
    Reader r(std::string_view(body).substr(0, cut));
    EXPECT_THROW(r.get<std::vector<std::string>>(), MalformedFrame) << cut;
  }
}

TEST(WireTest, ErrorsKeepTheirType) {
  using namespace rocksq::internal::wire;
  const auto round_trip = [](std::exception_ptr e) {
    std::string body;
    Writer w(&body);
    put_error(w, e);
    Reader r(body);
    const auto kind = static_cast<ErrorKind>(r.get<std::uint8_t>());
    std::rethrow_exception(get_error(kind, r));
  };
  EXPECT_THROW(round_trip(std::make_exception_ptr(rocksq::QueueFullError("f"))),
               rocksq::QueueFullError);
  EXPECT_THROW(round_trip(std::make_exception_ptr(rocksq::LeaseError("l"))), rocksq::LeaseError);
  EXPECT_THROW(round_trip(std::make_exception_ptr(rocksq::DiskFullError("d"))),
               rocksq::DiskFullError);
  EXPECT_THROW(round_trip(std::make_exception_ptr(std::invalid_argument("i"))),
               std::invalid_argument);
  try {
    round_trip(std::make_exception_ptr(rocksq::CorruptionError("the message")));
    FAIL();
  } catch (const rocksq::CorruptionError& e) {
    EXPECT_STREQ(e.what(), "the message");
  }
}

TEST(SharedTest, AClientRunsOperationsInTheOwner) {
  TempDir dir;
  auto owner = fifo_owner(dir.path(), 5);
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), 5, shared());
  q.push({"a", "b", "c"}).get();
  EXPECT_EQ(q.len().get(), 3u);
  EXPECT_EQ(q.peek(1).get(), std::vector<std::string>{"a"});
  EXPECT_THROW(q.push(numbers(0, 3)).get(), rocksq::QueueFullError);
  const auto reservation = q.reserve(2).get();
  EXPECT_EQ(reservation.items, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(q.pop(5).get(), std::vector<std::string>{"c"});
  q.ack(reservation.lease).get();
  EXPECT_THROW(q.ack(reservation.lease).get(), rocksq::LeaseError);
  EXPECT_TRUE(q.is_empty().get());
  q.close();
}

TEST(SharedTest, MpmcLabelsAreTheOwners) {
  TempDir dir;
  OwnerProcess owner(
      [&] { return std::make_unique<rocksq::MpmcQueue>(dir.path(), 3600, shared()); });
  EXPECT_THROW(rocksq::MpmcQueue(dir.path(), 60, shared()), std::invalid_argument);  // ttl
  rocksq::MpmcQueue log(dir.path(), 3600, shared());
  log.add({"1", "2"});
  EXPECT_EQ(log.next("l", rocksq::StartPosition::Oldest, 1).items, std::vector<std::string>{"1"});
  EXPECT_EQ(log.labels(), std::vector<std::string>{"l"});
  log.close();
}

TEST(SharedTest, ACleanHandoverSendsWhatWasInFlightToTheNextOwner) {
  TempDir dir;
  auto owner = fifo_owner(dir.path());
  rocksq::nonblocking::PersistentQueueWithCapacity q(dir.path(), 1000, 16, shared());
  std::vector<rocksq::Future<void>> pushes;
  for (int i = 0; i < 100; ++i) pushes.push_back(q.push({std::to_string(i)}));
  owner.close();
  for (int i = 100; i < 200; ++i) pushes.push_back(q.push({std::to_string(i)}));
  for (auto& push : pushes) EXPECT_NO_THROW(push.get());
  EXPECT_EQ(q.pop(1000).get(), numbers(0, 200));
  q.close();
}

TEST(SharedTest, AClientTakesOverFromAKilledOwner) {
  TempDir dir;
  auto owner = fifo_owner(dir.path());
  rocksq::PersistentQueueWithCapacity q(dir.path(), 1000, shared());
  q.push({"before"});
  owner.kill();
  q.push({"after"});
  EXPECT_EQ(q.pop(5), (std::vector<std::string>{"before", "after"}));
  q.close();
  // Closed: the next process owns it.
  rocksq::PersistentQueueWithCapacity again(dir.path());
  EXPECT_EQ(again.len(), 0u);
}

}  // namespace
