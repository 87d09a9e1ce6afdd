// rocksq::PersistentQueueWithCapacity: a persistent FIFO queue holding at most
// max_elements items.  Calls run on the caller's thread and block until done;
// the object may be shared between threads.
//
//   rocksq::PersistentQueueWithCapacity q("/var/lib/app/queue");
//   q.push({"a", "b"});
//   std::vector<std::string> items = q.pop(10);  // {"a", "b"}
#ifndef ROCKSQ_PERSISTENT_QUEUE_HPP_
#define ROCKSQ_PERSISTENT_QUEUE_HPP_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rocksq/options.hpp"

namespace rocksq {

namespace internal {
class LockedFifo;
}

// The default capacity of a FIFO queue.
inline constexpr std::size_t kDefaultMaxElements = 1'000'000'000;

class PersistentQueueWithCapacity {
 public:
  // Opens the queue at path, creating it (and missing parent directories) if
  // needed.  Throws AlreadyOpenError if it is open elsewhere, Error if it
  // cannot be opened.
  explicit PersistentQueueWithCapacity(const std::string& path,
                                       std::size_t max_elements = kDefaultMaxElements,
                                       const Options& options = Options());
  ~PersistentQueueWithCapacity();

  PersistentQueueWithCapacity(const PersistentQueueWithCapacity&) = delete;
  PersistentQueueWithCapacity& operator=(const PersistentQueueWithCapacity&) = delete;

  // Appends items atomically.  Throws QueueFullError, writing nothing, if the
  // queue would then hold more than max_elements items.
  void push(const std::vector<std::string>& items);
  void push(std::vector<std::string>&& items);

  // Removes and returns up to max_elements of the oldest items.
  std::vector<std::string> pop(std::size_t max_elements = 1);

  std::size_t len() const;
  bool is_empty() const;
  // Total bytes of the items held.
  std::uint64_t payload_size() const;
  // Bytes used by the database directory.
  std::uint64_t disk_size() const;

  // Releases the database.  Later calls throw ClosedError.  Idempotent.
  void close();

  const std::string& path() const;
  std::size_t max_elements() const;

 private:
  std::unique_ptr<internal::LockedFifo> queue_;
};

}  // namespace rocksq

#endif  // ROCKSQ_PERSISTENT_QUEUE_HPP_
