// Response: the Python face of a std::shared_future.  get() waits with the
// GIL released, converts the result to a Python "variant" object once and
// returns that same object on every later call.
#ifndef ROCKSQ_BINDINGS_RESPONSE_HPP_
#define ROCKSQ_BINDINGS_RESPONSE_HPP_

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include <nanobind/nanobind.h>

#include "gil.hpp"
#include "spin.hpp"  // cpp/src: the worker spins the same way
#include "rocksq/error.hpp"
#include "rocksq/fork.hpp"

namespace rocksq_py {

namespace nb = nanobind;

// A future whose result converts to a Python object (with the GIL held).
class PendingResult {
 public:
  virtual ~PendingResult() = default;
  // True once the result (value or error) is available.
  virtual bool wait_for(std::chrono::nanoseconds timeout) const = 0;
  virtual void wait() const = 0;
  // The result as a Python object; raises the operation's error.
  virtual nb::object to_python() const = 0;
};

// Adapts shared_future<T> with a converter `nb::object(const T&)` (or
// `nb::object()` for void).
template <typename T, typename Convert>
class FutureResult final : public PendingResult {
 public:
  FutureResult(std::shared_future<T> future, Convert convert)
      : future_(std::move(future)), convert_(std::move(convert)) {}
  bool wait_for(std::chrono::nanoseconds timeout) const override {
    return future_.wait_for(timeout) == std::future_status::ready;
  }
  void wait() const override { future_.wait(); }
  nb::object to_python() const override {
    if constexpr (std::is_void_v<T>) {
      future_.get();
      return convert_();
    } else {
      return convert_(future_.get());
    }
  }

 private:
  std::shared_future<T> future_;
  Convert convert_;
};

template <typename T, typename Convert>
std::unique_ptr<PendingResult> make_result(std::shared_future<T> future, Convert convert) {
  return std::make_unique<FutureResult<T, Convert>>(std::move(future), std::move(convert));
}

// The state behind Response and MpmcResponse (two Python types, one logic).
class ResponseCore {
 public:
  explicit ResponseCore(std::unique_ptr<PendingResult> result) : result_(std::move(result)) {}

  bool is_ready() const { return cached_.is_valid() || result_->wait_for(std::chrono::nanoseconds(0)); }

  // Waits (GIL released) at most timeout seconds, None meaning forever;
  // raises TimeoutError if the result is still pending then.
  nb::object get(std::optional<double> timeout) {
    if (cached_.is_valid()) return cached_;
    if (fork_generation_ != rocksq::fork_generation() && !is_ready()) {
      // The worker that would complete it exists in the parent only.
      throw rocksq::ClosedError(
          "rocksq: this operation was submitted before fork() and cannot complete in the "
          "child process");
    }
    bool ready = true;
    // A result already there needs no GIL hand-off.
    if (!result_->wait_for(std::chrono::nanoseconds(0))) {
      GilRelease release;
      if (!timeout) {
        if (!spin_for_result()) result_->wait();
      } else {
        const double seconds = *timeout > 0 ? *timeout : 0.0;
        ready = result_->wait_for(std::chrono::duration_cast<std::chrono::nanoseconds>(
            std::chrono::duration<double>(std::min(seconds, 1e9))));
      }
    }
    if (!ready) {
      PyErr_SetString(PyExc_TimeoutError, "rocksq: the operation did not complete in time");
      throw nb::python_error();
    }
    // Another thread may have converted the result while this one waited
    // (or while the conversion below let it run): every get() returns the
    // first object made.
    if (cached_.is_valid()) return cached_;
    nb::object value = result_->to_python();  // raises the operation's error
    if (!cached_.is_valid()) cached_ = value;
    return cached_;
  }

  // Results usually arrive within microseconds: spinning briefly (yielding
  // the CPU) is cheaper than sleeping on a futex, whose wake-up costs tens of
  // microseconds on a virtual machine.  True if the result is ready.
  bool spin_for_result() const {
    return rocksq::internal::spin_until(std::chrono::microseconds(50), [this] {
      return result_->wait_for(std::chrono::nanoseconds(0));
    });
  }

  nb::object try_get() {
    if (!is_ready()) return nb::none();
    return get(std::nullopt);
  }

 private:
  std::unique_ptr<PendingResult> result_;
  nb::object cached_;
  const std::uint64_t fork_generation_ = rocksq::fork_generation();
};

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_RESPONSE_HPP_
