// Queues and fork().
//
// After fork() the child holds copies of the parent's queues but none of
// their threads, and a mutex that a parent thread held stays locked there
// forever.  So a queue opened before fork() cannot be used in the child:
// every call there throws ClosedError (saying so) instead of hanging, and
// destroying it in the child releases nothing (the parent still owns its
// database).  A queue opened in the child after fork() works normally.
#ifndef ROCKSQ_FORK_HPP_
#define ROCKSQ_FORK_HPP_

#include <cstdint>

namespace rocksq {

// How many fork()s led to this process since rocksq was loaded: 0 in the
// original process, bumped in each child.  Cheap: one relaxed atomic load.
std::uint64_t fork_generation();

}  // namespace rocksq

#endif  // ROCKSQ_FORK_HPP_
