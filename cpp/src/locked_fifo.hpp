// LockedFifo: a FifoStore behind a mutex, committing each call on its own;
// the engine of the blocking FIFO queue.
#ifndef ROCKSQ_SRC_LOCKED_FIFO_HPP_
#define ROCKSQ_SRC_LOCKED_FIFO_HPP_

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "fifo_store.hpp"
#include "fork_guard.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {

class LockedFifo {
 public:
  LockedFifo(const std::string& path, std::size_t max_elements, const Options& options)
      : path_(path), max_elements_(max_elements),
        store_(std::make_unique<FifoStore>(path, max_elements, options)) {}

  ~LockedFifo() { close(); }

  // Runs fn(store) under the lock, then commits what it staged.
  template <typename Fn>
  auto run(const char* operation, Fn&& fn) {
    fork_guard_.check("queue " + path_);  // before the lock: a parent thread may hold it
    std::lock_guard<std::mutex> lock(mutex_);
    if (!store_) throw ClosedError(std::string("rocksq: ") + operation + " failed for " + path_ + ": the queue is closed");
    if constexpr (std::is_void_v<decltype(fn(*store_))>) {
      fn(*store_);
      store_->commit();
    } else {
      auto result = fn(*store_);
      store_->commit();
      return result;
    }
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
  std::size_t max_elements() const { return max_elements_; }

 private:
  const std::string path_;
  const std::size_t max_elements_;
  const ForkGuard fork_guard_;
  std::mutex mutex_;
  std::unique_ptr<FifoStore> store_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_LOCKED_FIFO_HPP_
