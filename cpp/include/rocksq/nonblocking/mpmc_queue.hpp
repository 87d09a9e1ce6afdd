// rocksq::nonblocking::MpmcQueue: the log of rocksq/mpmc_queue.hpp driven by
// one worker thread.  Every operation returns at once with a
// std::shared_future; errors travel inside it.
//
// At most max_inflight_ops operations may be pending; a call beyond that
// waits until one completes.  Operations complete in submission order, and
// the writes of the operations pending together are committed as one
// RocksDB write.
#ifndef ROCKSQ_NONBLOCKING_MPMC_QUEUE_HPP_
#define ROCKSQ_NONBLOCKING_MPMC_QUEUE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "rocksq/mpmc_queue.hpp"
#include "rocksq/options.hpp"
#include "rocksq/start_position.hpp"

namespace rocksq {
namespace nonblocking {

class MpmcQueue {
 public:
  // Opens the log (see rocksq::MpmcQueue) and starts its worker.  Throws
  // std::invalid_argument if max_inflight_ops is 0 or ttl is out of range.
  MpmcQueue(const std::string& path, std::chrono::seconds ttl,
            std::size_t max_inflight_ops = 1000, const Options& options = Options());
  MpmcQueue(const std::string& path, std::int64_t ttl_seconds,
            std::size_t max_inflight_ops = 1000, const Options& options = Options());
  // Completes every pending operation, then joins the worker.
  ~MpmcQueue();

  MpmcQueue(const MpmcQueue&) = delete;
  MpmcQueue& operator=(const MpmcQueue&) = delete;

  std::shared_future<void> add(std::vector<std::string> items);
  std::shared_future<NextResult> next(std::string label, StartPosition start_position,
                                      std::size_t max_elements = 1);
  std::shared_future<std::vector<std::string>> labels();
  std::shared_future<bool> remove_label(std::string label);
  std::shared_future<std::size_t> len();
  std::shared_future<std::uint64_t> payload_size();
  std::shared_future<std::uint64_t> disk_size();

  // Calls callback on the worker thread after each group of operations has
  // published its results: one call per group, not per operation.  It must
  // be quick and must not throw.  Replaces any earlier callback; an empty
  // one removes it.
  void set_completion_callback(std::function<void()> callback);

  // Operations submitted whose result is not yet available.
  std::size_t inflight_ops() const;
  std::size_t max_inflight_ops() const;

  // Completes pending operations, joins the worker and releases the
  // database.  Later calls throw ClosedError.  Idempotent.
  void close();

  const std::string& path() const;
  std::chrono::seconds ttl() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nonblocking
}  // namespace rocksq

#endif  // ROCKSQ_NONBLOCKING_MPMC_QUEUE_HPP_
