// rocksq::Future<T>: the result of an operation submitted to a queue, like a
// std::shared_future<T> (copyable, get() may be called any number of times,
// from any thread) with two differences:
//
//  - waiting first spins for a few microseconds (yielding the CPU) before it
//    sleeps: results usually arrive within that time, and waking a sleeping
//    thread costs tens of microseconds on a virtual machine;
//  - in a child process forked while the operation was pending, waiting
//    throws ClosedError instead of hanging: the worker thread that would
//    complete it exists in the parent only.
//
//   rocksq::Future<std::vector<std::string>> f = queue.pop(10);
//   if (f.wait_for(std::chrono::seconds(1))) use(f.get());
#ifndef ROCKSQ_FUTURE_HPP_
#define ROCKSQ_FUTURE_HPP_

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <utility>

#include "rocksq/error.hpp"
#include "rocksq/fork.hpp"

namespace rocksq {

namespace detail {
template <typename T>
class ResultState;
}  // namespace detail

template <typename T>
class Future {
 public:
  // An empty future: valid() is false and nothing else may be called.
  Future() = default;
  explicit Future(std::shared_ptr<detail::ResultState<T>> state) : state_(std::move(state)) {}

  bool valid() const { return state_ != nullptr; }
  // True once the result (a value or an error) is available.  Never waits.
  bool is_ready() const { return state_->is_ready(); }
  // Nobody will wait for this result any more: if the operation is a read
  // waiting for data, it may end now with what there is (as at its
  // timeout), once the queue next looks at its waiting reads.
  void abandon() const { state_->abandon(); }
  // Waits for the result.
  void wait() const { state_->wait(); }
  // Waits at most timeout; true if the result is available.
  bool wait_for(std::chrono::nanoseconds timeout) const { return state_->wait_for(timeout); }
  // Waits for the result and returns it, or throws the operation's error.
  decltype(auto) get() const { return state_->get(); }
  // get() that moves the value out, for the only reader of the result: no
  // copy of this future may read it afterwards.
  T take() const { return state_->take(); }

 private:
  std::shared_ptr<detail::ResultState<T>> state_;
};

// ---- Implementation details below.

namespace detail {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Busy-waits (yielding the CPU) until done() holds, at most limit; returns
// done().
template <typename Done>
bool spin_until(std::chrono::nanoseconds limit, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (int i = 0;; ++i) {
    if (done()) return true;
    if (i < 64) {
      cpu_relax();
      continue;
    }
    // Let a thread waiting for this CPU (perhaps the one we wait for) run.
    std::this_thread::yield();
    if ((i & 7) == 0 && std::chrono::steady_clock::now() >= deadline) return done();
  }
}

inline constexpr std::chrono::microseconds kResultSpin{50};

// What every ResultState shares: readiness, the error and the waiting.
class ResultBase {
 public:
  ResultBase() = default;
  ResultBase(const ResultBase&) = delete;
  ResultBase& operator=(const ResultBase&) = delete;

  bool is_ready() const { return ready_.load(std::memory_order_acquire); }
  void abandon() const { abandoned_.store(true, std::memory_order_relaxed); }
  bool abandoned() const { return abandoned_.load(std::memory_order_relaxed); }

  void wait() const {
    if (spin_until(kResultSpin, [this] { return is_ready(); })) return;
    check_not_forked();
    std::unique_lock<std::mutex> lock(mutex_);
    ++sleepers_;
    done_.wait(lock, [this] { return is_ready(); });
    --sleepers_;
  }

  bool wait_for(std::chrono::nanoseconds timeout) const {
    if (is_ready()) return true;
    check_not_forked();
    if (timeout <= kResultSpin) return spin_until(timeout, [this] { return is_ready(); });
    if (spin_until(kResultSpin, [this] { return is_ready(); })) return true;
    std::unique_lock<std::mutex> lock(mutex_);
    ++sleepers_;
    const bool ready = done_.wait_for(lock, timeout - kResultSpin, [this] { return is_ready(); });
    --sleepers_;
    return ready;
  }

  // The error (set before publish), if any.
  void set_error(std::exception_ptr error) noexcept {
    if (!error_) error_ = std::move(error);
  }
  bool has_error() const { return error_ != nullptr; }

  // Makes the result visible and wakes the waiters.
  void publish() noexcept {
    ready_.store(true, std::memory_order_release);
    // A waiter registers under the mutex before it sleeps: taking it here
    // means none misses the store above.
    std::lock_guard<std::mutex> lock(mutex_);
    if (sleepers_ > 0) done_.notify_all();
  }

 protected:
  void rethrow_error() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void check_not_forked() const {
    if (fork_generation() != generation_ && !is_ready()) {
      throw ClosedError(
          "rocksq: this operation was submitted before fork() and cannot complete in the "
          "child process");
    }
  }

  std::atomic<bool> ready_{false};
  mutable std::atomic<bool> abandoned_{false};
  std::exception_ptr error_;
  const std::uint64_t generation_ = fork_generation();
  mutable std::mutex mutex_;
  mutable std::condition_variable done_;
  mutable int sleepers_ = 0;
};

// The shared state of a Future<T>: set once by the queue's worker.
template <typename T>
class ResultState : public ResultBase {
 public:
  template <typename... Args>
  void set_value(Args&&... args) {
    value_.emplace(std::forward<Args>(args)...);
  }
  const T& get() const {
    wait();
    rethrow_error();
    return *value_;
  }
  T take() {
    wait();
    rethrow_error();
    return std::move(*value_);
  }

 private:
  std::optional<T> value_;
};

template <>
class ResultState<void> : public ResultBase {
 public:
  void set_value() {}
  void get() const {
    wait();
    rethrow_error();
  }
  void take() const { get(); }
};

}  // namespace detail
}  // namespace rocksq

#endif  // ROCKSQ_FUTURE_HPP_
