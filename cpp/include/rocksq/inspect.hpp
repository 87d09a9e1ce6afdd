// Read-only inspection of a queue's directory, for tools and monitoring.
//
// Works whether or not another process has the queue open: it reads a
// consistent snapshot of the database (as a RocksDB secondary instance) and
// never writes to the queue, moves a cursor or takes its lock.
//
//   rocksq::QueueInfo info = rocksq::inspect("/var/lib/app/queue");
//   std::vector<std::string> next = rocksq::peek("/var/lib/app/queue", 10);
#ifndef ROCKSQ_INSPECT_HPP_
#define ROCKSQ_INSPECT_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rocksq {

// A consumer label of an MPMC log.
struct LabelInfo {
  std::string label;
  // Elements added that the label has not read yet.
  std::uint64_t lag = 0;
};

struct QueueInfo {
  std::string kind;                // "fifo" or "mpmc"
  std::uint64_t len = 0;           // items held
  std::uint64_t payload_size = 0;  // total bytes of the items held
  std::uint64_t disk_size = 0;     // bytes used by the directory

  // MPMC logs only.
  // The TTL the log was last opened with; unset if it was never recorded.
  std::optional<std::chrono::seconds> ttl;
  // How long ago the oldest element held was added; unset if none is held.
  std::optional<std::chrono::milliseconds> oldest_age;
  std::vector<LabelInfo> labels;  // sorted by label
};

// Describes the queue at path.  Throws Error if path holds no queue or
// cannot be read, CorruptionError if its data is damaged.
QueueInfo inspect(const std::string& path);

// Returns up to max_items of the items held, in the order they would be
// read, without removing them: for a FIFO queue, those the next pop would
// return; for an MPMC log, those label would read next (the oldest held if
// label is empty).  Throws like inspect, and std::invalid_argument if label
// is given for a FIFO queue or names no label of the log.
std::vector<std::string> peek(const std::string& path, std::size_t max_items,
                              const std::string& label = "");

}  // namespace rocksq

#endif  // ROCKSQ_INSPECT_HPP_
