// The timed housekeeping of an MPMC log, shared by the blocking and the
// non-blocking queue: both run it on a Worker's tick.
#ifndef ROCKSQ_SRC_MPMC_EXPIRY_HPP_
#define ROCKSQ_SRC_MPMC_EXPIRY_HPP_

#include <algorithm>
#include <chrono>

#include "mpmc_store.hpp"

namespace rocksq {
namespace internal {

// Removes what expired and reclaims space, then returns when to run again:
// when the oldest element expires, and at least every second (an add to an
// empty log makes a new deadline).  The caller owns the store exclusively.
inline std::chrono::steady_clock::time_point expire_and_reclaim(MpmcStore& store) {
  try {
    store.expire();
    store.commit();
    store.reclaim_space();
  } catch (...) {
    store.rollback();
    throw;
  }
  return std::min(store.expiry_due(), std::chrono::steady_clock::now() + std::chrono::seconds(1));
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_MPMC_EXPIRY_HPP_
