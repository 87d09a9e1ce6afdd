// LockedStore<Store>: a store behind a mutex, for the blocking queues; one
// call at a time, refused once closed or in a forked child.
#ifndef ROCKSQ_SRC_LOCKED_STORE_HPP_
#define ROCKSQ_SRC_LOCKED_STORE_HPP_

#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <utility>

#include "fork_guard.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {

// fn(store), then store.commit(); returns what fn returned.
template <typename Store, typename Fn>
auto call_and_commit(Store& store, Fn& fn) {
  if constexpr (std::is_void_v<decltype(fn(store))>) {
    fn(store);
    store.commit();
  } else {
    auto result = fn(store);
    store.commit();
    return result;
  }
}

template <typename Store>
class LockedStore {
 public:
  // what names the queue in errors (e.g. "queue <path>").  make_store()
  // opens the store, after fork_guard_ is made (see note_queue_opened).
  template <typename MakeStore>
  LockedStore(std::string what, const std::string& path, MakeStore&& make_store)
      : what_(std::move(what)), path_(path), store_(make_store()) {}

  ~LockedStore() { close(); }

  LockedStore(const LockedStore&) = delete;
  LockedStore& operator=(const LockedStore&) = delete;

  // Runs fn(store) under the lock; throws ClosedError once closed.
  template <typename Fn>
  auto run(const char* operation, Fn&& fn) {
    fork_guard_.check(what_);  // before the lock: a parent thread may hold it
    std::lock_guard<std::mutex> lock(mutex_);
    if (!store_) {
      throw ClosedError(std::string("rocksq: ") + operation + " failed for " + path_ +
                        ": the queue is closed");
    }
    return fn(*store_);
  }

  // Runs fn(store) under the lock, store being null once closed.
  template <typename Fn>
  auto run_if_open(Fn&& fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    return fn(store_.get());
  }

  // In a forked child, leaks the store: closing it there would write to the
  // parent's database files behind the parent's back.
  void close() {
    if (fork_guard_.forked()) {
      static_cast<void>(store_.release());
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    store_.reset();
  }

  const std::string& path() const { return path_; }

 private:
  const std::string what_;
  const std::string path_;
  const ForkGuard fork_guard_;
  std::mutex mutex_;
  std::unique_ptr<Store> store_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_LOCKED_STORE_HPP_
