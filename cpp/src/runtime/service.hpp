// Service<Store>: a queue's store and the worker thread that is its only
// user; every queue, blocking or not, is one.  Operations are functions of
// the store (see task.hpp); submit() returns their Future.
//
// The rules, written once here for every queue:
//  - Errors (execute_group): an operation the store refuses before staging
//    anything (QueueFullError, std::invalid_argument) fails alone and the
//    rest of its group goes on; any other error, or a failed commit, fails
//    the whole group, and the store is rolled back to what is in the
//    database: nothing of the group is visible.
//  - Timed work: the store's housekeep() stages it (e.g. TTL expiry) and is
//    committed and rolled back under the same rule, between groups.
//  - fork(): a queue opened before fork() refuses every call in the child,
//    whose copy of it has no worker thread and must not write to the
//    parent's database; closing it there leaks it on purpose.
//
// A Store provides commit(), rollback() and housekeep() (stage timed work,
// return when it is next due, steady_clock::time_point::max() if never).
#ifndef ROCKSQ_SRC_RUNTIME_SERVICE_HPP_
#define ROCKSQ_SRC_RUNTIME_SERVICE_HPP_

#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

#include "fork_guard.hpp"
#include "rocksq/error.hpp"
#include "rocksq/future.hpp"
#include "task.hpp"
#include "worker.hpp"

namespace rocksq {
namespace internal {

// Stages the group in submission order, then commits it (see the rules).
template <typename Store>
void execute_group(Store& store, Worker::Group& group) {
  const auto fail_all = [&group] {
    const std::exception_ptr error = std::current_exception();
    for (auto& task : group) task->fail(error);
  };
  for (auto& task : group) {
    try {
      static_cast<Op<Store>&>(*task).stage(store);
    } catch (const QueueFullError&) {
      task->fail(std::current_exception());
    } catch (const std::invalid_argument&) {
      task->fail(std::current_exception());
    } catch (...) {
      fail_all();
      store.rollback();
      return;
    }
  }
  try {
    store.commit();
  } catch (...) {
    fail_all();
    store.rollback();
  }
}

// What a service is, whatever its store: its worker, the fork rule, close.
class ServiceBase {
 public:
  ServiceBase(const ServiceBase&) = delete;
  ServiceBase& operator=(const ServiceBase&) = delete;
  virtual ~ServiceBase() = default;

  Worker& worker() const { return *worker_; }
  const std::string& path() const { return path_; }

  // The worker stops first: it is the only user of the store.
  void close() {
    if (fork_guard_.forked()) {
      // No worker thread exists here, and closing the database would write
      // to the parent's files behind its back.
      static_cast<void>(worker_.release());
      leak_store();
      return;
    }
    std::lock_guard<std::mutex> lock(close_mutex_);
    if (worker_) worker_->stop();
    reset_store();
  }

 protected:
  explicit ServiceBase(std::string path) : path_(std::move(path)) {}

  void check_not_forked() const { fork_guard_.check(name()); }
  std::string name() const { return "queue " + path_; }

  virtual void reset_store() = 0;
  virtual void leak_store() = 0;

  std::unique_ptr<Worker> worker_;  // set by the derived class, after its store

 private:
  const std::string path_;
  const ForkGuard fork_guard_;  // before the store: opening starts RocksDB's threads
  std::mutex close_mutex_;
};

template <typename Store>
class Service final : public ServiceBase {
 public:
  // make_store() opens the store, after max_inflight was checked.
  template <typename MakeStore>
  Service(const std::string& path, std::size_t max_inflight, MakeStore&& make_store)
      : ServiceBase(path) {
    if (max_inflight == 0) {
      throw std::invalid_argument("rocksq: max_inflight_ops must be at least 1");
    }
    store_ = make_store();
    worker_ = std::make_unique<Worker>(
        name(), max_inflight, [this](Worker::Group& group) { execute_group(*store_, group); },
        [this] { return housekeep(); });
  }

  ~Service() override { close(); }

  // Submits fn(store) and returns its Future; waits for room as Worker::submit.
  template <typename Fn>
  Future<OpResult<Store, Fn>> submit(Fn fn) {
    check_not_forked();
    auto [op, future] = make_op<Store>(std::move(fn));
    worker_->submit(std::move(op));
    return std::move(future);
  }

 private:
  Worker::Clock::time_point housekeep() {
    try {
      const auto due = store_->housekeep();
      store_->commit();
      return due;
    } catch (...) {
      store_->rollback();
      throw;
    }
  }

  void reset_store() override { store_.reset(); }
  void leak_store() override { static_cast<void>(store_.release()); }

  std::unique_ptr<Store> store_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_RUNTIME_SERVICE_HPP_
