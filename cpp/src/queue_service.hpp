// What the non-blocking queues share: the result slot of a submitted
// operation (OpResult) and the path + store + worker that run them
// (QueueService).  Each queue adds only its operation fields and how its
// store executes them.
#ifndef ROCKSQ_SRC_QUEUE_SERVICE_HPP_
#define ROCKSQ_SRC_QUEUE_SERVICE_HPP_

#include <cstddef>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "fork_guard.hpp"
#include "worker.hpp"

namespace rocksq {
namespace internal {

// The promise of one operation, one alternative per result type (chosen by
// index: size_t and uint64_t may be one type), and its error.  An Op derives
// from it and defines complete() as publish(set_value), where set_value sets
// the value of promise_of<result_index()>().
template <typename... Results>
class OpResult {
 public:
  // Makes result I the one promised and returns its future.
  template <std::size_t I>
  auto start() {
    promise_.template emplace<I + 1>();
    return std::get<I + 1>(promise_).get_future().share();
  }

  void fail(std::exception_ptr e) noexcept {
    if (!error_) error_ = std::move(e);
  }

 protected:
  std::size_t result_index() const { return promise_.index() - 1; }
  template <std::size_t I>
  auto& promise_of() {
    return std::get<I + 1>(promise_);
  }

  // Sets the error if there is one, else calls set_value().
  template <typename SetValue>
  void publish(SetValue&& set_value) noexcept {
    try {
      if (error_) {
        std::visit(
            [this](auto& p) {
              if constexpr (!std::is_same_v<std::decay_t<decltype(p)>, std::monostate>) {
                p.set_exception(error_);
              }
            },
            promise_);
        return;
      }
      set_value();
    } catch (...) {
      // set_value can only fail for a promise already satisfied: nothing to do.
    }
  }

 private:
  // monostate until start(): a std::promise allocates when constructed.
  std::variant<std::monostate, std::promise<Results>...> promise_;
  std::exception_ptr error_;
};

// A queue's path, its store and the worker thread that is the store's only
// user.  execute (and tick, if any) run on the worker; see Worker.
template <typename Store, typename Op>
class QueueService {
 public:
  using Clock = typename Worker<Op>::Clock;
  using Execute = std::function<void(Store& store, std::vector<Op>& ops)>;
  using Tick = std::function<typename Clock::time_point(Store& store)>;

  // make_store() opens the store: after max_inflight is checked, and after
  // fork_guard_ is made, since opening starts RocksDB's threads (see
  // note_queue_opened).
  template <typename MakeStore>
  QueueService(const std::string& path, MakeStore&& make_store, std::size_t max_inflight,
               Execute execute, Tick tick = nullptr)
      : path_(path),
        store_((Worker<Op>::checked_max_inflight(max_inflight), make_store())),
        worker_("queue " + path, max_inflight, bind_store(std::move(execute)),
                bind_store(std::move(tick))) {}

  ~QueueService() { close(); }

  QueueService(const QueueService&) = delete;
  QueueService& operator=(const QueueService&) = delete;

  // Queues op with result alternative I and returns that result's future.
  template <std::size_t I>
  auto submit(Op&& op) {
    auto future = op.template start<I>();
    worker_.submit(std::move(op));
    return future;
  }

  // The worker stops first: it is the only user of the store.
  void close() {
    if (fork_guard_.forked()) {
      // A forked child has no worker, and closing the database there would
      // write to the parent's files behind its back: leak it on purpose.
      static_cast<void>(store_.release());
      return;
    }
    std::lock_guard<std::mutex> lock(close_mutex_);
    worker_.stop();
    store_.reset();
  }

  void set_completion_callback(std::function<void()> callback) {
    worker_.set_completion_callback(std::move(callback));
  }
  std::size_t inflight() const { return worker_.inflight(); }
  std::size_t max_inflight() const { return worker_.max_inflight(); }
  const std::string& path() const { return path_; }

 private:
  // fn with this queue's store as its first argument; empty if fn is.
  template <typename R, typename... Args>
  std::function<R(Args...)> bind_store(std::function<R(Store&, Args...)> fn) {
    if (!fn) return nullptr;
    return [this, fn = std::move(fn)](Args... args) -> R {
      return fn(*store_, std::forward<Args>(args)...);
    };
  }

  const std::string path_;
  const ForkGuard fork_guard_;
  std::mutex close_mutex_;
  std::unique_ptr<Store> store_;
  Worker<Op> worker_;  // last: stopped before the store is destroyed
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_QUEUE_SERVICE_HPP_
