// rocksq::MpmcQueue: a persistent append-only log read by any number of
// consumers.  Producers add batches; each consumer is named by a label that
// owns a durable cursor, so consumers read the log independently.  Reading
// removes nothing: every element lives ttl seconds after it was added, then
// it is removed (within milliseconds, not counted or returned any more).
// Calls run on the caller's thread and block until done; the object may be
// shared between threads.
//
//   rocksq::MpmcQueue log("/var/lib/app/log", std::chrono::hours(24));
//   log.add({"a", "b"});
//   auto [items, expired] = log.next("billing", rocksq::StartPosition::Oldest, 10);
#ifndef ROCKSQ_MPMC_QUEUE_HPP_
#define ROCKSQ_MPMC_QUEUE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rocksq/options.hpp"
#include "rocksq/start_position.hpp"

namespace rocksq {

namespace internal {
class LockedMpmc;
}

// What one MpmcQueue::next call read.
struct NextResult {
  // The elements, oldest first.
  std::vector<std::string> items;
  // True if elements this label had not read yet were removed by the TTL
  // (reading went on with the oldest element still held).
  bool expired = false;
};

// The largest ttl accepted, in seconds (about 146 million years).
inline constexpr std::int64_t kMaxTtlSeconds = std::int64_t{1} << 52;

class MpmcQueue {
 public:
  // Opens the log at path, creating it (and missing parent directories) if
  // needed; ttl applies to every element, also those added before (whose
  // insertion time is stored).  Throws std::invalid_argument unless
  // 0 < ttl <= kMaxTtlSeconds, AlreadyOpenError if the log is open elsewhere,
  // Error if it cannot be opened.
  MpmcQueue(const std::string& path, std::chrono::seconds ttl,
            const Options& options = Options());
  MpmcQueue(const std::string& path, std::int64_t ttl_seconds,
            const Options& options = Options());
  ~MpmcQueue();

  MpmcQueue(const MpmcQueue&) = delete;
  MpmcQueue& operator=(const MpmcQueue&) = delete;

  // Appends items atomically.
  void add(const std::vector<std::string>& items);
  void add(std::vector<std::string>&& items);

  // Returns up to max_elements elements following the last one label read,
  // and durably moves label's cursor past them.  A label not seen before
  // starts at start_position (ignored for existing labels).
  NextResult next(const std::string& label, StartPosition start_position,
                  std::size_t max_elements = 1);

  // The labels, sorted.
  std::vector<std::string> labels() const;
  // Forgets label and its cursor; returns false if it did not exist.
  bool remove_label(const std::string& label);

  // Elements held (added and not yet removed by the TTL).
  std::size_t len() const;
  bool is_empty() const;
  // Total bytes of the elements held.
  std::uint64_t payload_size() const;
  // Bytes used by the database directory.
  std::uint64_t disk_size() const;

  // Releases the database.  Later calls throw ClosedError.  Idempotent.
  void close();

  const std::string& path() const;
  std::chrono::seconds ttl() const;

 private:
  std::unique_ptr<internal::LockedMpmc> queue_;
};

}  // namespace rocksq

#endif  // ROCKSQ_MPMC_QUEUE_HPP_
