// rocksq::nonblocking::PersistentQueueWithCapacity: the FIFO queue of
// rocksq/persistent_queue.hpp driven by one worker thread.  Every operation
// returns at once with a std::shared_future; errors travel inside it.
//
// At most max_inflight_ops operations may be pending; a call beyond that
// waits until one completes.  Operations complete in submission order.
#ifndef ROCKSQ_NONBLOCKING_PERSISTENT_QUEUE_HPP_
#define ROCKSQ_NONBLOCKING_PERSISTENT_QUEUE_HPP_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "rocksq/options.hpp"
#include "rocksq/persistent_queue.hpp"

namespace rocksq {
namespace nonblocking {

class PersistentQueueWithCapacity {
 public:
  // Opens the queue (see rocksq::PersistentQueueWithCapacity) and starts its
  // worker.  Throws std::invalid_argument if max_inflight_ops is 0.
  explicit PersistentQueueWithCapacity(const std::string& path,
                                       std::size_t max_elements = kDefaultMaxElements,
                                       std::size_t max_inflight_ops = 1000,
                                       const Options& options = Options());
  // Completes every pending operation, then joins the worker.
  ~PersistentQueueWithCapacity();

  PersistentQueueWithCapacity(const PersistentQueueWithCapacity&) = delete;
  PersistentQueueWithCapacity& operator=(const PersistentQueueWithCapacity&) = delete;

  std::shared_future<void> push(std::vector<std::string> items);
  std::shared_future<std::vector<std::string>> pop(std::size_t max_elements = 1);
  std::shared_future<std::size_t> len();
  std::shared_future<std::uint64_t> payload_size();
  std::shared_future<std::uint64_t> disk_size();

  // Calls callback on the worker thread after each group of operations has
  // published its results: one call per group, not per operation.  It must
  // be quick and must not throw (e.g. write to an eventfd that wakes an
  // event loop).  Replaces any earlier callback; an empty one removes it.
  void set_completion_callback(std::function<void()> callback);

  // Operations submitted whose result is not yet available.
  std::size_t inflight_ops() const;
  std::size_t max_inflight_ops() const;

  // Completes pending operations, joins the worker and releases the
  // database.  Later calls throw ClosedError.  Idempotent.
  void close();

  const std::string& path() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nonblocking
}  // namespace rocksq

#endif  // ROCKSQ_NONBLOCKING_PERSISTENT_QUEUE_HPP_
