// Service<Store>: a queue's store and the worker thread that is its only
// user; every queue, blocking or not, is one.  Operations are functions of
// the store (see task.hpp); submit() returns their Future.
//
// The rules, written once here for every queue:
//  - Errors (execute_group): an operation the store refuses before staging
//    anything (QueueFullError, LeaseError, std::invalid_argument) fails alone and the
//    rest of its group goes on; any other error, or a failed commit, fails
//    the whole group (and the waiting operations), and the store is rolled
//    back to what is in the database: nothing of the group is visible.
//  - Waiting (WaitingOps): a read that waits for data is parked, takes no
//    room under max_inflight_ops, and is served, oldest first, after each
//    operation that may feed it; it ends at its deadline (checked as timed
//    work) or at close with what there is.
//  - Timed work: the store's housekeep() stages it (e.g. TTL expiry, the
//    end of a lease) and is committed and rolled back under the same rule,
//    between groups; waiting operations are staged again after it.
//  - fork(): a queue opened before fork() refuses every call in the child,
//    whose copy of it has no worker thread and must not write to the
//    parent's database; closing it there leaks it on purpose.
//
// A Store provides commit(), rollback(), housekeep() (stage timed work,
// return when it is next due, steady_clock::time_point::max() if never) and
// housekeep_due() (when a group's operations made it due, max if they
// cannot).
#ifndef ROCKSQ_SRC_RUNTIME_SERVICE_HPP_
#define ROCKSQ_SRC_RUNTIME_SERVICE_HPP_

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fork_guard.hpp"
#include "rocksq/error.hpp"
#include "rocksq/future.hpp"
#include "task.hpp"
#include "worker.hpp"

namespace rocksq {
namespace internal {

// The waiting operations of a store (see task.hpp), oldest first.  Used by
// the thread that executes (one at a time).
template <typename Store>
class WaitingOps {
 public:
  using OpPtr = std::shared_ptr<Op<Store>>;

  bool empty() const { return ops_.empty(); }
  std::size_t size() const { return count_.load(std::memory_order_relaxed); }
  void park(OpPtr op) {
    ops_.push_back(std::move(op));
    count_.store(ops_.size(), std::memory_order_relaxed);
  }
  // Stages each waiting operation again (final: all of them end); moves
  // those that ended into *ended.
  void retry(Store& store, bool final, std::vector<OpPtr>* ended) {
    retry_if(store, final, ended, [](const OpPtr&) { return true; });
  }
  // The same for those whose deadline is past.
  void expire(Store& store, SteadyTime now, std::vector<OpPtr>* ended) {
    retry_if(store, true, ended, [now](const OpPtr& op) { return op->deadline() <= now; });
  }
  // When the earliest deadline is (max if none).
  SteadyTime next_deadline() const {
    SteadyTime earliest = SteadyTime::max();
    for (const auto& op : ops_) earliest = std::min(earliest, op->deadline());
    return earliest;
  }
  // Fails and publishes every waiting operation.
  void fail_all(std::exception_ptr error) {
    for (auto& op : ops_) {
      op->fail(error);
      op->publish();
    }
    ops_.clear();
    count_.store(0, std::memory_order_relaxed);
  }

 private:
  template <typename Pred>
  void retry_if(Store& store, bool final, std::vector<OpPtr>* ended, Pred pred) {
    auto kept = ops_.begin();
    for (auto it = ops_.begin(); it != ops_.end(); ++it) {
      if (pred(*it) && (*it)->stage(store, final || (*it)->abandoned())) {
        ended->push_back(std::move(*it));
      } else {
        if (kept != it) *kept = std::move(*it);
        ++kept;
      }
    }
    ops_.erase(kept, ops_.end());
    count_.store(ops_.size(), std::memory_order_relaxed);
  }

  std::deque<OpPtr> ops_;
  std::atomic<std::size_t> count_{0};
};

// Stages the group in submission order, then commits it (see the rules).
// An operation that waits moves from the group to waiting; after each one
// that wakes, the waiting ones are staged again, oldest first, so that a
// waiting read is served before any later one.  Those that end are
// published here; returns the earliest deadline of those still waiting.
template <typename Store>
SteadyTime execute_group(Store& store, Worker::Group& group, WaitingOps<Store>& waiting) {
  std::vector<std::shared_ptr<Op<Store>>> ended;  // waiting ones served by this group
  std::vector<bool> parked(group.size(), false);
  // The group keeps only what the worker publishes.
  const auto remove_parked = [&] {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!parked[i]) group[kept++] = std::move(group[i]);
    }
    group.resize(kept);
  };
  const auto fail_all = [&] {
    const std::exception_ptr error = std::current_exception();
    remove_parked();
    for (auto& task : group) task->fail(error);
    for (auto& op : ended) {
      op->fail(error);
      op->publish();
    }
    // The store failed: the waiting ones end with the group.
    waiting.fail_all(error);
    store.rollback();
    return SteadyTime::max();
  };
  for (std::size_t i = 0; i < group.size(); ++i) {
    auto& op = static_cast<Op<Store>&>(*group[i]);
    try {
      if (!op.stage(store, false)) {
        parked[i] = true;
        waiting.park(std::static_pointer_cast<Op<Store>>(group[i]));
        continue;
      }
      if (op.wakes() && !waiting.empty()) waiting.retry(store, false, &ended);
    } catch (const QueueFullError&) {
      op.fail(std::current_exception());
    } catch (const LeaseError&) {
      op.fail(std::current_exception());
    } catch (const std::invalid_argument&) {
      op.fail(std::current_exception());
    } catch (...) {
      return fail_all();
    }
  }
  try {
    store.commit();
  } catch (...) {
    return fail_all();
  }
  remove_parked();
  for (auto& op : ended) op->publish();
  return std::min(waiting.next_deadline(), store.housekeep_due());
}

// Ends the waiting operations whose deadline is past (all of them if
// final), with what there is: staged, committed and published.  True if
// any ended.
template <typename Store>
bool end_waiting(Store& store, WaitingOps<Store>& waiting, bool final) {
  if (waiting.empty()) return false;
  std::vector<std::shared_ptr<Op<Store>>> ended;
  try {
    if (final) {
      waiting.retry(store, true, &ended);
    } else {
      waiting.expire(store, std::chrono::steady_clock::now(), &ended);
    }
    store.commit();
  } catch (...) {
    const std::exception_ptr error = std::current_exception();
    for (auto& op : ended) op->fail(error);
    store.rollback();
  }
  for (auto& op : ended) op->publish();
  return !ended.empty();
}

// What a service is, whatever its store: its worker, the fork rule, close.
// A queue shared with other processes (remote/shared_service.hpp) is a
// service too, whose operations may run in another process: it overrides
// what QueueControl uses.
class ServiceBase {
 public:
  ServiceBase(const ServiceBase&) = delete;
  ServiceBase& operator=(const ServiceBase&) = delete;
  virtual ~ServiceBase() = default;

  const std::string& path() const { return path_; }

  // True for a queue shared with other processes (see SharedService).
  virtual bool is_shared() const { return false; }

  // Operations submitted whose result is not yet available.
  virtual std::size_t inflight() const { return worker_->inflight() + waiting(); }
  virtual std::size_t max_inflight() const { return worker_->max_inflight(); }
  virtual void set_completion_callback(std::function<void()> callback) {
    worker_->set_completion_callback(std::move(callback));
  }
  virtual void set_room_wait(RoomWait room_wait) { worker_->set_room_wait(std::move(room_wait)); }
  virtual void set_caller_runs(bool caller_runs) { worker_->set_caller_runs(caller_runs); }
  virtual void hold() { worker_->hold(); }
  virtual void release() { worker_->release(); }
  // Ends the waiting operations whose Future was abandoned, with what there
  // is.  Returns at once.
  virtual void end_abandoned() {}

  // The worker stops first: it is the only user of the store.
  virtual void close() {
    if (fork_guard_.forked()) {
      // No worker thread exists here, and closing the database would write
      // to the parent's files behind its back.
      static_cast<void>(worker_.release());
      leak_store();
      return;
    }
    std::lock_guard<std::mutex> lock(close_mutex_);
    if (worker_) worker_->stop();
    end_all_waiting();  // with what there is
    reset_store();
  }

 protected:
  explicit ServiceBase(std::string path) : path_(std::move(path)) {}

  bool forked() const { return fork_guard_.forked(); }
  void check_not_forked() const { fork_guard_.check(name()); }
  std::string name() const { return "queue " + path_; }

  // Operations parked waiting for data (see task.hpp).
  virtual std::size_t waiting() const { return 0; }
  virtual void end_all_waiting() {}
  virtual void reset_store() {}
  virtual void leak_store() {}

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
        name(), max_inflight,
        [this](Worker::Group& group) { return execute_group(*store_, group, waiting_); },
        [this] { return housekeep(); });
  }

  ~Service() override { close(); }

  // Submits fn(store) and returns its Future; waits for room as
  // Worker::submit.  wakes: see Op::wakes.
  template <typename Fn>
  Future<OpResult<Store, Fn>> submit(Fn fn, bool wakes = false) {
    check_not_forked();
    auto [op, future] = make_op<Store>(std::move(fn), wakes);
    worker_->submit(std::move(op));
    return std::move(future);
  }

  // Submits the waiting operation fn(store, final) (see task.hpp), which
  // waits at most timeout (nanoseconds::max(): until it ends or the queue
  // closes).
  template <typename Fn>
  Future<WaitingResult<Store, Fn>> submit_waiting(Fn fn, std::chrono::nanoseconds timeout) {
    check_not_forked();
    auto [op, future] = make_waiting_op<Store>(std::move(fn), deadline_after(timeout));
    worker_->submit(std::move(op));
    return std::move(future);
  }

  std::size_t waiting() const override { return waiting_.size(); }

  // A no-op that wakes the waiting operations: the abandoned ones end.
  void end_abandoned() override {
    static_cast<void>(submit([](Store&) {}, true));
  }

 private:
  Worker::TickDone housekeep() {
    bool ended = end_waiting(*store_, waiting_, false);
    std::vector<std::shared_ptr<Op<Store>>> served;  // by what the timed work freed
    try {
      const auto due = store_->housekeep();
      if (!waiting_.empty()) waiting_.retry(*store_, false, &served);
      store_->commit();
      for (auto& op : served) op->publish();
      ended = ended || !served.empty();
      return {std::min(due, waiting_.next_deadline()), ended};
    } catch (...) {
      const std::exception_ptr error = std::current_exception();
      for (auto& op : served) {
        op->fail(error);
        op->publish();
      }
      store_->rollback();
      throw;
    }
  }

  static SteadyTime deadline_after(std::chrono::nanoseconds timeout) {
    const auto now = std::chrono::steady_clock::now();
    if (timeout >= SteadyTime::max() - now) return SteadyTime::max();
    return now + std::chrono::duration_cast<SteadyTime::duration>(timeout);
  }

  // The worker has stopped: the store is this thread's.
  void end_all_waiting() override {
    if (store_) end_waiting(*store_, waiting_, true);
  }
  void reset_store() override { store_.reset(); }
  void leak_store() override { static_cast<void>(store_.release()); }

  std::unique_ptr<Store> store_;
  WaitingOps<Store> waiting_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_RUNTIME_SERVICE_HPP_
