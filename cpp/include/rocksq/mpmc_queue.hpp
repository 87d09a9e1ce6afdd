// rocksq::MpmcQueue: a persistent append-only log read by any number of
// consumers.  Producers add batches; each consumer is named by a label that
// owns a durable cursor, so consumers read the log independently.  Reading
// removes nothing: every element lives ttl seconds after it was added, then
// it is removed (within milliseconds, not counted or returned any more).
// Two flavours (see flavour.hpp): blocking calls return their result;
// rocksq::nonblocking::MpmcQueue's return a Future at once.  Either may be
// shared between threads; operations complete in submission order.
//
//   rocksq::MpmcQueue log("/var/lib/app/log", std::chrono::hours(24));
//   log.add({"a", "b"});
//   auto [items, expired] = log.next("billing", rocksq::StartPosition::Oldest, 10);
#ifndef ROCKSQ_MPMC_QUEUE_HPP_
#define ROCKSQ_MPMC_QUEUE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rocksq/flavour.hpp"
#include "rocksq/options.hpp"
#include "rocksq/queue_control.hpp"
#include "rocksq/start_position.hpp"

namespace rocksq {

// What one next() read.
struct NextResult {
  // The elements, oldest first.
  std::vector<std::string> items;
  // True if elements this label had not read yet were removed by the TTL
  // (reading went on with the oldest element still held).
  bool expired = false;
};

// The largest ttl accepted, in seconds (about 146 million years).
inline constexpr std::int64_t kMaxTtlSeconds = std::int64_t{1} << 52;

template <typename Flavour>
class BasicMpmcQueue : public QueueControl {
 public:
  template <typename T>
  using Result = typename Flavour::template Result<T>;

  // Opens the log at path, creating it (and missing parent directories) if
  // needed, and starts its worker; ttl applies to every element, also those
  // added before (whose insertion time is stored).  Throws
  // std::invalid_argument unless 0 < ttl <= kMaxTtlSeconds and
  // max_inflight_ops > 0, AlreadyOpenError if the log is open elsewhere,
  // Error if it cannot be opened.
  BasicMpmcQueue(const std::string& path, std::chrono::seconds ttl,
                 std::size_t max_inflight_ops = kDefaultMaxInflightOps,
                 const Options& options = Options());
  BasicMpmcQueue(const std::string& path, std::chrono::seconds ttl, const Options& options)
      : BasicMpmcQueue(path, ttl, kDefaultMaxInflightOps, options) {}
  BasicMpmcQueue(const std::string& path, std::int64_t ttl_seconds,
                 std::size_t max_inflight_ops = kDefaultMaxInflightOps,
                 const Options& options = Options())
      : BasicMpmcQueue(path, std::chrono::seconds(ttl_seconds), max_inflight_ops, options) {}
  BasicMpmcQueue(const std::string& path, std::int64_t ttl_seconds, const Options& options)
      : BasicMpmcQueue(path, std::chrono::seconds(ttl_seconds), kDefaultMaxInflightOps, options) {}
  // Completes every pending operation, then joins the worker.
  ~BasicMpmcQueue() = default;

  // Appends items atomically.
  Result<void> add(std::vector<std::string> items);
  // Returns up to max_elements elements following the last one label read,
  // and durably moves label's cursor past them.  A label not seen before
  // starts at start_position (ignored for existing labels).  If there is no
  // element to read (and nothing expired to report), waits up to timeout
  // (kWaitForever: until one is added or the log closes), as pop does.
  // With commit false the cursor moves in memory only, until commit(label):
  // after a reopen (or a crash) the label resumes after its last committed
  // read, so the reads not committed are delivered again.
  Result<NextResult> next(std::string label, StartPosition start_position,
                          std::size_t max_elements = 1, std::chrono::nanoseconds timeout = {},
                          bool commit = true);
  // Makes durable where label's reads left its cursor.  Fails with
  // std::invalid_argument if there is no such label.
  Result<void> commit(std::string label);
  // What next() would return after a reopen (from the last committed
  // position), moving no cursor and creating no label.
  Result<NextResult> peek(std::string label, StartPosition start_position,
                          std::size_t max_elements = 1);
  // The labels, sorted (those committed at least once).
  Result<std::vector<std::string>> labels();
  // Forgets label and its cursor; false if it did not exist.
  Result<bool> remove_label(std::string label);
  // Elements held (added and not yet removed by the TTL).
  Result<std::size_t> len();
  Result<bool> is_empty();
  // Total bytes of the elements held.
  Result<std::uint64_t> payload_size();
  // Bytes used by the database directory.
  Result<std::uint64_t> disk_size();

  std::chrono::seconds ttl() const { return ttl_; }

 private:
  const std::chrono::seconds ttl_;
};

using MpmcQueue = BasicMpmcQueue<Blocking>;
namespace nonblocking {
using MpmcQueue = BasicMpmcQueue<NonBlocking>;
}  // namespace nonblocking

extern template class BasicMpmcQueue<Blocking>;
extern template class BasicMpmcQueue<NonBlocking>;

}  // namespace rocksq

#endif  // ROCKSQ_MPMC_QUEUE_HPP_
