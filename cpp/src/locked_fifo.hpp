// LockedFifo: a FifoStore behind a mutex, committing each call on its own;
// the engine of the blocking FIFO queue.
#ifndef ROCKSQ_SRC_LOCKED_FIFO_HPP_
#define ROCKSQ_SRC_LOCKED_FIFO_HPP_

#include <memory>
#include <string>

#include "fifo_store.hpp"
#include "locked_store.hpp"

namespace rocksq {
namespace internal {

class LockedFifo {
 public:
  LockedFifo(const std::string& path, std::size_t max_elements, const Options& options)
      : max_elements_(max_elements),
        store_("queue " + path, path,
               [&] { return std::make_unique<FifoStore>(path, max_elements, options); }) {}

  // Runs fn(store) under the lock, then commits what it staged.  A FifoStore
  // call that fails has staged nothing.
  template <typename Fn>
  auto run(const char* operation, Fn&& fn) {
    return store_.run(operation, [&](FifoStore& store) { return call_and_commit(store, fn); });
  }

  void close() { store_.close(); }

  const std::string& path() const { return store_.path(); }
  std::size_t max_elements() const { return max_elements_; }

 private:
  const std::size_t max_elements_;
  LockedStore<FifoStore> store_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_LOCKED_FIFO_HPP_
