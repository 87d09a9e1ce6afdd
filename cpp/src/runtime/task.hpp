// Task and Op<Store>: one submitted operation, as the worker sees it.
//
// An operation is a function of the store (a closure holding its inputs);
// make_op wraps it with the result state its Future reads, in one
// allocation.  The worker stages it (stage: the function runs and its result
// is kept), then publishes it or fails it; see service.hpp for which errors
// fail one operation and which fail its group.
//
// A waiting operation (make_waiting_op, e.g. a pop with a timeout) is a
// function fn(store, final) returning std::optional: nothing means "not
// yet" (it staged nothing), and the service parks it until an operation
// that wakes it (a push) or its deadline; final = true (timeout, close)
// asks for what there is.
#ifndef ROCKSQ_SRC_RUNTIME_TASK_HPP_
#define ROCKSQ_SRC_RUNTIME_TASK_HPP_

#include <chrono>
#include <exception>
#include <memory>
#include <type_traits>
#include <utility>

#include "rocksq/future.hpp"

namespace rocksq {
namespace internal {

// What the worker needs of any operation, whatever its store.
class Task {
 public:
  virtual ~Task() = default;
  // The result becomes this error (unless it already has one).
  virtual void fail(std::exception_ptr error) noexcept = 0;
  // Makes the result (value or error) visible to its Future.
  virtual void publish() noexcept = 0;
};

using SteadyTime = std::chrono::steady_clock::time_point;

template <typename Store>
class Op : public Task {
 public:
  // Runs the operation against store, keeping its result unpublished;
  // false if it waits (staging nothing).  final: it must not wait.  Throws
  // what the store throws.
  virtual bool stage(Store& store, bool final) = 0;
  // True if it may let waiting operations go on (e.g. a push).
  bool wakes() const { return wakes_; }
  // A waiting operation ends by then.
  virtual SteadyTime deadline() const { return SteadyTime::max(); }
  // True if its Future was abandoned: a waiting operation ends early.
  virtual bool abandoned() const { return false; }

 protected:
  explicit Op(bool wakes) : wakes_(wakes) {}

 private:
  const bool wakes_;
};

template <typename Store, typename Fn>
using OpResult = std::invoke_result_t<Fn&, Store&>;

template <typename Store, typename Fn>
class OpOf final : public Op<Store>, public detail::ResultState<OpResult<Store, Fn>> {
 public:
  OpOf(Fn fn, bool wakes) : Op<Store>(wakes), fn_(std::move(fn)) {}

  bool stage(Store& store, bool) override {
    if constexpr (std::is_void_v<OpResult<Store, Fn>>) {
      fn_(store);
    } else {
      this->set_value(fn_(store));
    }
    return true;
  }
  void fail(std::exception_ptr error) noexcept override { this->set_error(std::move(error)); }
  void publish() noexcept override { detail::ResultState<OpResult<Store, Fn>>::publish(); }

 private:
  Fn fn_;
};

// The value type R of a waiting function returning std::optional<R>.
template <typename Store, typename Fn>
using WaitingResult = typename std::invoke_result_t<Fn&, Store&, bool>::value_type;

template <typename Store, typename Fn>
class WaitingOpOf final : public Op<Store>,
                          public detail::ResultState<WaitingResult<Store, Fn>> {
 public:
  WaitingOpOf(Fn fn, SteadyTime deadline) : Op<Store>(false), fn_(std::move(fn)), deadline_(deadline) {}

  bool stage(Store& store, bool final) override {
    auto result = fn_(store, final);
    if (!result) return false;
    this->set_value(std::move(*result));
    return true;
  }
  SteadyTime deadline() const override { return deadline_; }
  bool abandoned() const override { return this->ResultBase::abandoned(); }
  void fail(std::exception_ptr error) noexcept override { this->set_error(std::move(error)); }
  void publish() noexcept override { detail::ResultState<WaitingResult<Store, Fn>>::publish(); }

 private:
  Fn fn_;
  const SteadyTime deadline_;
};

// The operation fn(store) and its Future; wakes: see Op::wakes.
template <typename Store, typename Fn>
std::pair<std::shared_ptr<Op<Store>>, Future<OpResult<Store, Fn>>> make_op(Fn fn,
                                                                           bool wakes = false) {
  auto op = std::make_shared<OpOf<Store, Fn>>(std::move(fn), wakes);
  Future<OpResult<Store, Fn>> future(op);
  return {std::move(op), std::move(future)};
}

// The waiting operation fn(store, final) (see above) and its Future.
template <typename Store, typename Fn>
std::pair<std::shared_ptr<Op<Store>>, Future<WaitingResult<Store, Fn>>> make_waiting_op(
    Fn fn, SteadyTime deadline) {
  auto op = std::make_shared<WaitingOpOf<Store, Fn>>(std::move(fn), deadline);
  Future<WaitingResult<Store, Fn>> future(op);
  return {std::move(op), std::move(future)};
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_RUNTIME_TASK_HPP_
