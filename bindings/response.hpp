// Response: the Python face of a rocksq::Future.  get() waits (GIL released,
// interruptible), converts the result to a Python "variant" object once and
// returns that same object on every later call.
#ifndef ROCKSQ_BINDINGS_RESPONSE_HPP_
#define ROCKSQ_BINDINGS_RESPONSE_HPP_

#include <chrono>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include <nanobind/nanobind.h>

#include "rocksq/future.hpp"
#include "wait.hpp"

namespace rocksq_py {

namespace nb = nanobind;

// A future whose result converts to a Python object (with the GIL held).
class PendingResult {
 public:
  virtual ~PendingResult() = default;
  // True once the result (value or error) is available; never waits.
  virtual bool is_ready() const = 0;
  // True once the result (value or error) is available; waits at most timeout.
  virtual bool wait_for(std::chrono::nanoseconds timeout) const = 0;
  // The result as a Python object; raises the operation's error.
  virtual nb::object to_python() const = 0;
};

// Adapts Future<T> with a converter `object(const T&)` (or `object()` for
// void).
template <typename T, typename Convert>
class FutureResult final : public PendingResult {
 public:
  FutureResult(rocksq::Future<T> future, Convert convert)
      : future_(std::move(future)), convert_(std::move(convert)) {}
  bool is_ready() const override { return future_.is_ready(); }
  bool wait_for(std::chrono::nanoseconds timeout) const override {
    return future_.wait_for(timeout);
  }
  nb::object to_python() const override {
    if constexpr (std::is_void_v<T>) {
      future_.get();
      return convert_();
    } else {
      return convert_(future_.get());
    }
  }

 private:
  rocksq::Future<T> future_;
  Convert convert_;
};

// The state behind Response and MpmcResponse (two Python types, one logic).
class ResponseCore {
 public:
  template <typename T, typename Convert>
  ResponseCore(rocksq::Future<T> future, Convert convert)
      : result_(std::make_shared<FutureResult<T, Convert>>(std::move(future), std::move(convert))) {}

  bool is_ready() const { return cached_.is_valid() || result_->is_ready(); }

  // Waits at most timeout seconds (None: forever), GIL released unless
  // release_gil is false; raises TimeoutError if the result is still pending
  // then, and what a signal handler raises meanwhile (the operation goes on).
  nb::object get(std::optional<double> timeout, bool release_gil = true) {
    if (cached_.is_valid()) return cached_;
    // Its own reference: another thread may convert the result (and drop
    // result_) while this one waits without the GIL.
    const std::shared_ptr<PendingResult> pending = result_;
    // A result already there needs no GIL hand-off.
    if (!pending->is_ready() &&
        !wait_interruptibly([&pending](auto slice) { return pending->wait_for(slice); }, timeout,
                            release_gil)) {
      PyErr_SetString(PyExc_TimeoutError, "rocksq: the operation did not complete in time");
      throw nb::python_error();
    }
    // Another thread may have converted the result while this one waited
    // (or while the conversion below let it run): every get() returns the
    // first object made.
    if (cached_.is_valid()) return cached_;
    nb::object value = pending->to_python();  // raises the operation's error
    if (!cached_.is_valid()) {
      cached_ = value;
      result_.reset();  // the C++ copy of the result (big items) is not needed again
    }
    return cached_;
  }

  // For asyncio: true once ready, after spinning briefly (GIL held) if not.
  bool ready_soon() const {
    return is_ready() || result_->wait_for(rocksq::detail::kResultSpin);
  }

  nb::object try_get() {
    if (!is_ready()) return nb::none();
    return get(std::nullopt);
  }

 private:
  std::shared_ptr<PendingResult> result_;  // null once converted
  nb::object cached_;
};

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_RESPONSE_HPP_
