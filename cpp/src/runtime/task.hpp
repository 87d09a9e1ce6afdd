// Task and Op<Store>: one submitted operation, as the worker sees it.
//
// An operation is a function of the store (a closure holding its inputs);
// make_op wraps it with the result state its Future reads, in one
// allocation.  The worker stages it (stage: the function runs and its result
// is kept), then publishes it or fails it; see execute_group in service.hpp
// for which errors fail one operation and which fail its group.
#ifndef ROCKSQ_SRC_RUNTIME_TASK_HPP_
#define ROCKSQ_SRC_RUNTIME_TASK_HPP_

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

template <typename Store>
class Op : public Task {
 public:
  // Runs the operation against store, keeping its result unpublished.
  // Throws what the store throws.
  virtual void stage(Store& store) = 0;
};

template <typename Store, typename Fn>
using OpResult = std::invoke_result_t<Fn&, Store&>;

template <typename Store, typename Fn>
class OpOf final : public Op<Store>, public detail::ResultState<OpResult<Store, Fn>> {
 public:
  explicit OpOf(Fn fn) : fn_(std::move(fn)) {}

  void stage(Store& store) override {
    if constexpr (std::is_void_v<OpResult<Store, Fn>>) {
      fn_(store);
    } else {
      this->set_value(fn_(store));
    }
  }
  void fail(std::exception_ptr error) noexcept override { this->set_error(std::move(error)); }
  void publish() noexcept override { detail::ResultState<OpResult<Store, Fn>>::publish(); }

 private:
  Fn fn_;
};

// The operation fn(store) and its Future.
template <typename Store, typename Fn>
std::pair<std::shared_ptr<Op<Store>>, Future<OpResult<Store, Fn>>> make_op(Fn fn) {
  auto op = std::make_shared<OpOf<Store, Fn>>(std::move(fn));
  Future<OpResult<Store, Fn>> future(op);
  return {std::move(op), std::move(future)};
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_RUNTIME_TASK_HPP_
