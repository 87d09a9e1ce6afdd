// Where a new MPMC consumer label starts reading.
#ifndef ROCKSQ_START_POSITION_HPP_
#define ROCKSQ_START_POSITION_HPP_

namespace rocksq {

enum class StartPosition : int {
  // The oldest element still held by the log.
  Oldest = 0,
  // The newest element already in the log (or, on an empty log, the next one
  // to be added).
  Newest = 1,
};

}  // namespace rocksq

#endif  // ROCKSQ_START_POSITION_HPP_
