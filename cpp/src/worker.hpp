// Worker<Op>: one thread that executes the operations submitted to a queue.
//
// Submitters append to a bounded list of pending operations (at most
// max_inflight submitted and not yet completed; a submitter beyond that waits
// for room).  The thread takes every pending operation at once and hands them
// to `execute`, which computes their results (so that a queue can commit them
// as one write); then it completes them in submission order.  A submitter
// only wakes the thread when it sleeps: no system call per operation while it
// is busy.  Having run out of work, the thread spins for a few microseconds
// before it sleeps: waking a sleeping thread costs tens of microseconds on a
// virtual machine, more than a small operation takes.
//
// Op must provide:
//   void fail(std::exception_ptr) noexcept;  // result = error, unless set
//   void complete() noexcept;                // publishes the result
#ifndef ROCKSQ_SRC_WORKER_HPP_
#define ROCKSQ_SRC_WORKER_HPP_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fork_guard.hpp"
#include "rocksq/error.hpp"
#include "spin.hpp"

namespace rocksq {
namespace internal {

template <typename Op>
class Worker {
 public:
  using Clock = std::chrono::steady_clock;
  // Computes the results of ops (storing them or errors in each op).
  using Execute = std::function<void(std::vector<Op>& ops)>;
  // Timed work; returns when it is next due (Clock::time_point::max(): never).
  using Tick = std::function<Clock::time_point()>;

  // Returns max_inflight; throws std::invalid_argument if it is 0.  Queues
  // call it before opening their store, so a bad value opens nothing.
  static std::size_t checked_max_inflight(std::size_t max_inflight) {
    if (max_inflight == 0) {
      throw std::invalid_argument("rocksq: max_inflight_ops must be at least 1");
    }
    return max_inflight;
  }

  Worker(std::string name, std::size_t max_inflight, Execute execute, Tick tick = nullptr)
      : name_(std::move(name)),
        max_inflight_(checked_max_inflight(max_inflight)),
        execute_(std::move(execute)),
        tick_(std::move(tick)) {
    thread_ = std::thread([this] { run(); });
  }

  ~Worker() {
    stop();
    if (fork_guard_.forked()) {
      // In a forked child, the parent's thread still counts as a waiter of
      // the condition variables (destroying them would wait for it forever)
      // and may have held the mutex: reuse their storage for fresh objects
      // instead, so that destroying them is a no-op.
      new (&work_) std::condition_variable();
      new (&room_) std::condition_variable();
      new (&mutex_) std::mutex();
    }
  }

  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues op, waiting while max_inflight operations are pending.  Throws
  // ClosedError once stop() has begun.
  void submit(Op&& op) {
    fork_guard_.check(name_);  // before the lock: a parent thread may hold it
    std::unique_lock<std::mutex> lock(mutex_);
    if (inflight_ >= max_inflight_ && !stopping_) {
      ++room_waiters_;
      room_.wait(lock, [this] { return inflight_ < max_inflight_ || stopping_; });
      --room_waiters_;
    }
    if (stopping_) throw ClosedError("rocksq: " + name_ + " is closed");
    ++inflight_;
    inflight_relaxed_.store(inflight_, std::memory_order_relaxed);
    pending_.push_back(std::move(op));
    has_pending_.store(true, std::memory_order_release);
    if (sleeping_) {
      lock.unlock();
      work_.notify_one();
    }
  }

  // Calls callback on the worker thread after each group of operations has
  // published its results (e.g. to wake an event loop).  It must be quick
  // and must not throw; an empty callback removes it.  Takes effect from the
  // next group on.
  void set_completion_callback(std::function<void()> callback) {
    std::lock_guard<std::mutex> lock(mutex_);
    completion_callback_ = std::move(callback);
    ++completion_callback_version_;
  }

  std::size_t inflight() const { return inflight_relaxed_.load(std::memory_order_relaxed); }
  std::size_t max_inflight() const { return max_inflight_; }

  // Completes every pending operation, then joins the thread.  Idempotent;
  // safe to call from several threads.  In a forked child it only abandons
  // the thread, which does not exist there.
  void stop() {
    if (fork_guard_.forked()) {
      abandon_thread_after_fork();
      return;
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    work_.notify_all();
    room_.notify_all();
    std::lock_guard<std::mutex> join_lock(join_mutex_);
    if (thread_.joinable()) thread_.join();
  }

 private:
  void run() noexcept {
    std::vector<Op> ops;
    std::function<void()> on_completion;  // a copy, refreshed when replaced
    std::uint64_t on_completion_version = 0;
    Clock::time_point due = tick_ ? Clock::now() : Clock::time_point::max();
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      if (pending_.empty() && !stopping_) {
        lock.unlock();
        spin_until(kIdleSpin, [this] { return has_pending_.load(std::memory_order_acquire); });
        lock.lock();
      }
      bool timed_out = false;
      while (pending_.empty() && !stopping_ && !timed_out) {
        if (due <= Clock::now()) break;
        sleeping_ = true;
        if (due == Clock::time_point::max()) {
          work_.wait(lock);
        } else {
          timed_out = work_.wait_until(lock, due) == std::cv_status::timeout;
        }
        sleeping_ = false;
      }
      if (pending_.empty() && stopping_) break;
      ops.swap(pending_);
      has_pending_.store(false, std::memory_order_relaxed);
      if (on_completion_version != completion_callback_version_) {
        on_completion = completion_callback_;
        on_completion_version = completion_callback_version_;
      }
      lock.unlock();
      if (!ops.empty()) {
        execute_and_complete(ops);
        notify_completion(on_completion);
      }
      if (tick_ && due <= Clock::now()) due = safe_tick();
      lock.lock();
    }
  }

  void execute_and_complete(std::vector<Op>& ops) noexcept {
    try {
      execute_(ops);
    } catch (...) {
      const std::exception_ptr error = std::current_exception();
      for (auto& op : ops) op.fail(error);
    }
    {
      // Leave inflight before publishing results: once a result is seen,
      // inflight no longer counts its operation.
      std::lock_guard<std::mutex> lock(mutex_);
      inflight_ -= ops.size();
      inflight_relaxed_.store(inflight_, std::memory_order_relaxed);
      if (room_waiters_ > 0) room_.notify_all();
    }
    for (auto& op : ops) op.complete();
    ops.clear();
  }

  // The thread exists in the parent only: joining it would fail, and
  // destroying a joinable std::thread terminates.  The handle is leaked on
  // purpose (a few bytes, once per queue in a forked child).
  void abandon_thread_after_fork() noexcept {
    if (thread_.joinable()) {
      static_cast<void>(std::make_unique<std::thread>(std::move(thread_)).release());
    }
  }

  static void notify_completion(const std::function<void()>& callback) noexcept {
    if (!callback) return;
    try {
      callback();
    } catch (...) {
      // A notification is best effort: the results are published anyway.
    }
  }

  Clock::time_point safe_tick() noexcept {
    try {
      return tick_();
    } catch (...) {
      // Timed work is housekeeping: retry it a little later.
      return Clock::now() + std::chrono::seconds(1);
    }
  }

  static constexpr std::chrono::microseconds kIdleSpin{50};

  const std::string name_;
  const std::size_t max_inflight_;
  const Execute execute_;
  const Tick tick_;

  std::mutex mutex_;
  std::condition_variable work_;  // the thread waits for operations
  std::condition_variable room_;  // submitters wait for room
  std::vector<Op> pending_;
  std::atomic<bool> has_pending_{false};  // !pending_.empty(), readable unlocked
  std::size_t inflight_ = 0;
  std::atomic<std::size_t> inflight_relaxed_{0};
  std::size_t room_waiters_ = 0;
  bool sleeping_ = false;
  bool stopping_ = false;
  std::function<void()> completion_callback_;
  std::uint64_t completion_callback_version_ = 0;

  const ForkGuard fork_guard_;
  std::mutex join_mutex_;
  std::thread thread_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_WORKER_HPP_
