// What every queue has besides its operations: back-pressure, completion
// notification, closing.  Both queue kinds, in both flavours, derive from
// QueueControl.
//
// Every queue runs its operations on one worker thread of its own.  At most
// max_inflight_ops operations may be pending (submitted and not completed);
// a call beyond that waits for room.  The operations pending together are
// staged in submission order and committed as one RocksDB write.
#ifndef ROCKSQ_QUEUE_CONTROL_HPP_
#define ROCKSQ_QUEUE_CONTROL_HPP_

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace rocksq {

namespace internal {
class ServiceBase;
}  // namespace internal

// The default bound on pending operations.
inline constexpr std::size_t kDefaultMaxInflightOps = 1000;

// The timeout of a read that waits until data arrives or the queue closes.
inline constexpr std::chrono::nanoseconds kWaitForever = std::chrono::nanoseconds::max();

// How a call waits for room when max_inflight_ops operations are pending: it
// is given wait_for_room(timeout), which waits at most timeout and returns
// true once there is room, and returns when there is (it is called again if
// another caller took the room first).  Throwing abandons the call: nothing
// is submitted.  Without one, calls wait until there is room.
using RoomWait = std::function<void(const std::function<bool(std::chrono::nanoseconds)>& wait_for_room)>;

class QueueControl {
 public:
  QueueControl(const QueueControl&) = delete;
  QueueControl& operator=(const QueueControl&) = delete;

  // Operations submitted whose result is not yet available (reads waiting
  // for data included; those take no room under max_inflight_ops).
  std::size_t inflight_ops() const;
  std::size_t max_inflight_ops() const;

  // Calls callback on the worker thread after each group of operations has
  // published its results: one call per group, not per operation.  It must
  // be quick and must not throw (e.g. write to an eventfd that wakes an
  // event loop).  Replaces any earlier callback; an empty one removes it.
  // Takes effect from the next group on.
  void set_completion_callback(std::function<void()> callback);

  // Replaces how calls wait for room (see RoomWait); empty: plain waiting.
  void set_room_wait(RoomWait room_wait);

  // When nothing is pending nor running, a call runs its operation on the
  // calling thread instead of handing it to the worker: a caller that waits
  // for the result anyway saves two thread hand-offs.  On for the blocking
  // flavour; operations still run one group at a time, in submission order.
  void set_caller_runs(bool caller_runs);

  // Completes pending operations, joins the worker and releases the
  // database.  Later calls throw ClosedError.  Idempotent.
  void close();

  const std::string& path() const;

  // For tests: while the returned object lives, the worker starts no new
  // group of operations, so everything submitted meanwhile runs as one group
  // afterwards.  Closing the queue ends every hold.
  class Hold {
   public:
    explicit Hold(QueueControl& queue);
    ~Hold();
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    QueueControl& queue_;
  };

 protected:
  explicit QueueControl(std::unique_ptr<internal::ServiceBase> service);
  ~QueueControl();

  internal::ServiceBase& service() const { return *service_; }

 private:
  std::unique_ptr<internal::ServiceBase> service_;
};

}  // namespace rocksq

#endif  // ROCKSQ_QUEUE_CONTROL_HPP_
