// Worker: the one thread that runs a queue's operations.
//
// Submitters append to a bounded list of pending tasks (at most max_inflight
// submitted and not yet published; a submitter beyond that waits for room,
// through the room wait if one is set).  The thread takes every pending task
// at once and hands the group to `execute`, which stages and commits them
// (so that a queue writes them as one RocksDB write); then it publishes them
// in submission order.  A submitter only wakes the thread when it sleeps: no
// system call per operation while it is busy.  Having run out of work, the
// thread spins for a few microseconds before it sleeps: waking a sleeping
// thread costs tens of microseconds on a virtual machine, more than a small
// operation takes.  Between groups it runs `tick`, timed housekeeping, when
// that is due.
//
// With caller_runs set, a submitter that finds nothing pending and nothing
// running runs its task itself, as a group of one, instead of handing it
// over (a blocking call then saves two thread hand-offs); whoever executes,
// only one thread uses the store at a time and tasks run in submission
// order.
#ifndef ROCKSQ_SRC_RUNTIME_WORKER_HPP_
#define ROCKSQ_SRC_RUNTIME_WORKER_HPP_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "rocksq/queue_control.hpp"
#include "task.hpp"

namespace rocksq {
namespace internal {

class Worker {
 public:
  using Clock = std::chrono::steady_clock;
  using Group = std::vector<std::shared_ptr<Task>>;
  // Stages and commits a group, failing the tasks that failed; removes from
  // it the tasks that wait (they are published later, by whoever keeps
  // them) and returns when the earliest of those ends
  // (Clock::time_point::max() if none): the tick is due then.
  using Execute = std::function<Clock::time_point(Group& group)>;
  // Timed work; returns when it is next due (Clock::time_point::max(): never,
  // or until a group asks for it) and whether it published results (then
  // the completion callback runs).
  struct TickDone {
    Clock::time_point next_due;
    bool published;
  };
  using Tick = std::function<TickDone()>;

  // Throws std::invalid_argument if max_inflight is 0.  name (e.g. "queue
  // <path>") appears in errors.
  Worker(std::string name, std::size_t max_inflight, Execute execute, Tick tick = nullptr);
  ~Worker();

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues task, waiting while max_inflight tasks are pending.  Throws
  // ClosedError once stop() has begun, and what the room wait throws (the
  // task is then not queued).
  void submit(std::shared_ptr<Task> task);

  // Publishes every pending task, then joins the thread.  Idempotent; safe
  // to call from several threads.
  void stop();

  void set_completion_callback(std::function<void()> callback);
  void set_room_wait(RoomWait room_wait);
  // For the calling thread: submit() waits for room plainly, ignoring any
  // room wait (a thread of ours that serves other processes).
  static void set_thread_ignores_room_wait(bool ignores);
  void set_caller_runs(bool caller_runs);
  // While held, the thread starts no new group (one running finishes).
  void hold();
  void release();

  std::size_t inflight() const { return inflight_relaxed_.load(std::memory_order_relaxed); }
  std::size_t max_inflight() const { return max_inflight_; }

 private:
  void run() noexcept;
  // Returns when the tick is next due because of the group.
  Clock::time_point execute_and_publish(Group& group) noexcept;
  static void notify(const std::function<void()>& callback) noexcept;
  TickDone safe_tick() noexcept;
  bool has_room() const { return inflight_ < max_inflight_ || stopping_; }
  bool wait_for_room(std::chrono::nanoseconds timeout);
  bool runnable() const { return runnable_ignoring_executor() && !executing_; }
  bool runnable_ignoring_executor() const { return !pending_.empty() && held_ == 0; }

  const std::string name_;
  const std::size_t max_inflight_;
  const Execute execute_;
  const Tick tick_;

  std::mutex mutex_;
  std::condition_variable work_;  // the thread waits for tasks
  std::condition_variable room_;  // submitters wait for room
  Group pending_;
  std::atomic<bool> has_pending_{false};  // !pending_.empty(), readable unlocked
  std::size_t inflight_ = 0;
  std::atomic<std::size_t> inflight_relaxed_{0};
  std::size_t room_waiters_ = 0;
  int held_ = 0;
  bool sleeping_ = false;
  bool stopping_ = false;
  bool caller_runs_ = false;
  bool executing_ = false;  // a group (or the tick) is running, on any thread
  bool waits_for_executor_ = false;  // the thread waits for a caller's group to end
  Clock::time_point due_ = Clock::time_point::max();  // when the tick is next due
  RoomWait room_wait_;
  std::function<void()> completion_callback_;
  std::uint64_t completion_callback_version_ = 0;

  std::mutex join_mutex_;
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_RUNTIME_WORKER_HPP_
