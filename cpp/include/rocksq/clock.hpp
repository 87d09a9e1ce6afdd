// Clock: where a queue reads the time, so that tests can set it.
//
// MPMC logs stamp each element with the wall-clock time it was added (it is
// stored, so a TTL runs across restarts) and remove it ttl later.  Tests
// pass a clock of their own in Options::clock instead of sleeping.  FIFO
// leases end by this clock too.
#ifndef ROCKSQ_CLOCK_HPP_
#define ROCKSQ_CLOCK_HPP_

#include <chrono>
#include <memory>

namespace rocksq {

class Clock {
 public:
  virtual ~Clock() = default;
  // Time since the Unix epoch.  Must be safe to call from any thread.
  virtual std::chrono::microseconds now() const = 0;
};

// The system's wall clock (std::chrono::system_clock).
std::shared_ptr<const Clock> system_clock();

}  // namespace rocksq

#endif  // ROCKSQ_CLOCK_HPP_
