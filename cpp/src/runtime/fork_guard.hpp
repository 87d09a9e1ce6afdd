// ForkGuard: remembers the fork generation a queue was opened in, so that the
// queue can refuse to work in a forked child (see rocksq/fork.hpp).
#ifndef ROCKSQ_SRC_FORK_GUARD_HPP_
#define ROCKSQ_SRC_FORK_GUARD_HPP_

#include <cstdint>
#include <string>

#include "rocksq/error.hpp"
#include "rocksq/fork.hpp"

namespace rocksq {
namespace internal {

// Records that this process opened a queue, hence started RocksDB's threads.
void note_queue_opened();

class ForkGuard {
 public:
  ForkGuard() : generation_(fork_generation()) { note_queue_opened(); }

  // True in a child forked after construction.
  bool forked() const { return fork_generation() != generation_; }

  // Throws ClosedError if forked(); what names the queue.
  void check(const std::string& what) const {
    if (forked()) {
      throw ClosedError("rocksq: " + what +
                        " was opened before fork() and cannot be used in the child process; "
                        "open it in the child instead");
    }
  }

 private:
  const std::uint64_t generation_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_FORK_GUARD_HPP_
