// rocksq::PersistentQueueWithCapacity: a persistent FIFO queue holding at most
// max_elements items, in two flavours (see flavour.hpp): blocking calls
// return their result; rocksq::nonblocking::PersistentQueueWithCapacity's
// return a Future at once, with errors inside it.  Either may be shared
// between threads; operations complete in submission order.
//
//   rocksq::PersistentQueueWithCapacity q("/var/lib/app/queue");
//   q.push({"a", "b"});
//   std::vector<std::string> items = q.pop(10);  // {"a", "b"}
#ifndef ROCKSQ_PERSISTENT_QUEUE_HPP_
#define ROCKSQ_PERSISTENT_QUEUE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "rocksq/flavour.hpp"
#include "rocksq/lease.hpp"
#include "rocksq/options.hpp"
#include "rocksq/queue_control.hpp"

namespace rocksq {

// The default capacity of a FIFO queue.
inline constexpr std::size_t kDefaultMaxElements = 1'000'000'000;

template <typename Flavour>
class BasicPersistentQueueWithCapacity : public QueueControl {
 public:
  template <typename T>
  using Result = typename Flavour::template Result<T>;

  // Opens the queue at path, creating it (and missing parent directories) if
  // needed, and starts its worker.  Throws AlreadyOpenError if it is open
  // elsewhere, Error if it cannot be opened, std::invalid_argument if
  // max_inflight_ops is 0.
  explicit BasicPersistentQueueWithCapacity(const std::string& path,
                                            std::size_t max_elements = kDefaultMaxElements,
                                            std::size_t max_inflight_ops = kDefaultMaxInflightOps,
                                            const Options& options = Options());
  BasicPersistentQueueWithCapacity(const std::string& path, std::size_t max_elements,
                                   const Options& options)
      : BasicPersistentQueueWithCapacity(path, max_elements, kDefaultMaxInflightOps, options) {}
  // Completes every pending operation, then joins the worker.
  ~BasicPersistentQueueWithCapacity() = default;

  // Appends items atomically.  Fails with QueueFullError, writing nothing, if
  // the queue would then hold more than max_elements items.
  Result<void> push(std::vector<std::string> items);
  // Removes and returns up to max_elements of the oldest items.  If there is
  // none, waits up to timeout (kWaitForever: until one is pushed or the
  // queue closes) for at least one, then returns what there is (perhaps
  // nothing).  A waiting pop takes no room and holds up no other operation;
  // waiting pops are served in the order they were made, each item to one.
  Result<std::vector<std::string>> pop(std::size_t max_elements = 1,
                                       std::chrono::nanoseconds timeout = {});
  // The items pop(max_elements) would return, removing nothing.
  Result<std::vector<std::string>> peek(std::size_t max_elements = 1);

  // At-least-once delivery (see lease.hpp).  Takes up to max_elements of the
  // oldest unreserved items under a new lease that ends after lease_duration
  // unless acked; waits for one as pop() does.  Reserved items still count
  // in len() and against max_elements; pop() and peek() skip them.  Fails
  // with std::invalid_argument if lease_duration is not positive.
  Result<Reservation> reserve(std::size_t max_elements = 1,
                              std::chrono::milliseconds lease_duration = kDefaultLeaseDuration,
                              std::chrono::nanoseconds timeout = {});
  // Removes a lease's items for good.  Fails with LeaseError if the lease is
  // not open (unknown, acked, released or expired).
  Result<void> ack(LeaseId lease);
  // Puts a lease's items back at the head, in their order, ahead of every
  // unreserved item.  Fails with LeaseError as ack().
  Result<void> release(LeaseId lease);
  // Items under a lease.
  Result<std::size_t> reserved();
  // Items held, reserved or not.
  Result<std::size_t> len();
  Result<bool> is_empty();
  // Total bytes of the items held.
  Result<std::uint64_t> payload_size();
  // Bytes used by the database directory.
  Result<std::uint64_t> disk_size();

  std::size_t max_elements() const { return max_elements_; }

 private:
  const std::size_t max_elements_;
};

using PersistentQueueWithCapacity = BasicPersistentQueueWithCapacity<Blocking>;
namespace nonblocking {
using PersistentQueueWithCapacity = BasicPersistentQueueWithCapacity<NonBlocking>;
}  // namespace nonblocking

extern template class BasicPersistentQueueWithCapacity<Blocking>;
extern template class BasicPersistentQueueWithCapacity<NonBlocking>;

}  // namespace rocksq

#endif  // ROCKSQ_PERSISTENT_QUEUE_HPP_
