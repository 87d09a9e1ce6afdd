#include "async_signal.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "bindings.hpp"

namespace rocksq_py {

namespace {

// The eventfd and the flag shared by the loop's thread and the workers.
struct SignalState {
  int fd = -1;
  std::atomic<bool> armed{false};

  // Called by workers (under the registry's mutex, so fd is open).
  void fire() noexcept {
    // Pairs with the fence in arm(): either the loop sees the result as
    // ready after arming, or this call sees the flag set.
    std::atomic_thread_fence(std::memory_order_seq_cst);
    if (!armed.exchange(false)) return;
    const std::uint64_t one = 1;
    ssize_t written;
    do {
      written = ::write(fd, &one, sizeof one);
    } while (written < 0 && errno == EINTR);
    // EAGAIN means the counter is already non-zero: the loop will wake.
  }
};

// Every open signal.  Workers only take the mutex when one exists.
class Registry {
 public:
  void add(const std::shared_ptr<SignalState>& s) {
    std::lock_guard<std::mutex> lock(mutex_);
    signals_.push_back(s);
    count_.store(signals_.size(), std::memory_order_release);
  }
  void remove(const SignalState* s) {
    std::lock_guard<std::mutex> lock(mutex_);
    signals_.erase(std::remove_if(signals_.begin(), signals_.end(),
                                  [s](const auto& p) { return p.get() == s; }),
                   signals_.end());
    count_.store(signals_.size(), std::memory_order_release);
  }
  void notify() noexcept {
    if (count_.load(std::memory_order_acquire) == 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& s : signals_) s->fire();
  }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<SignalState>> signals_;
  std::atomic<std::size_t> count_{0};
};

// Leaked on purpose: workers of queues still open at interpreter exit may
// notify after static destructors have run.
Registry& registry() {
  static Registry* const r = std::make_unique<Registry>().release();
  return *r;
}

// The Python object rocksq._rocksq._AsyncSignal; used by rocksq._asyncio only.
class AsyncSignal {
 public:
  AsyncSignal() : state_(std::make_shared<SignalState>()) {
    state_->fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (state_->fd < 0) {
      throw std::runtime_error(std::string("rocksq: eventfd failed: ") + std::strerror(errno));
    }
    registry().add(state_);
  }
  ~AsyncSignal() { close(); }
  AsyncSignal(const AsyncSignal&) = delete;
  AsyncSignal& operator=(const AsyncSignal&) = delete;

  int fileno() const { return state_->fd; }

  // Asks for a write after the next completed group of operations.  The
  // caller must check its Responses' is_ready after this returns.
  void arm() {
    state_->armed.store(true, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
  }
  void disarm() { state_->armed.store(false, std::memory_order_relaxed); }

  // Resets the eventfd's counter so the loop's reader stops firing.
  void drain() {
    std::uint64_t value;
    while (state_->fd >= 0 && ::read(state_->fd, &value, sizeof value) < 0 && errno == EINTR) {
    }
  }

  void close() {
    if (state_->fd < 0) return;
    registry().remove(state_.get());  // no worker writes to fd after this
    ::close(state_->fd);
    state_->fd = -1;
  }

 private:
  std::shared_ptr<SignalState> state_;
};

}  // namespace

void notify_async_signals() noexcept { registry().notify(); }

void bind_async_signal(nb::module_& m) {
  nb::class_<AsyncSignal>(m, "_AsyncSignal",
                          "An eventfd written when queue operations complete, while armed.  "
                          "Internal to rocksq's asyncio support.")
      .def(nb::init<>())
      .def("fileno", &AsyncSignal::fileno, "The eventfd to watch for reading.")
      .def("arm", &AsyncSignal::arm,
           "Requests one write after the next group of operations completes.")
      .def("disarm", &AsyncSignal::disarm, "Withdraws the request.")
      .def("drain", &AsyncSignal::drain, "Clears the eventfd's readiness.")
      .def("close", &AsyncSignal::close, "Closes the eventfd.  Idempotent.");
}

}  // namespace rocksq_py
