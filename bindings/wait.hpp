// Waiting from Python: every wait can be interrupted (Ctrl-C arrives within
// kSignalCheck), and releases the GIL unless told not to.
#ifndef ROCKSQ_BINDINGS_WAIT_HPP_
#define ROCKSQ_BINDINGS_WAIT_HPP_

#include <chrono>
#include <functional>
#include <optional>

#include <nanobind/nanobind.h>

#include "gil.hpp"

namespace rocksq_py {

namespace nb = nanobind;

// How often a wait runs Python's signal handlers.
inline constexpr std::chrono::milliseconds kSignalCheck{20};

// Waits until ready(slice) returns true, calling it with slices of at most
// kSignalCheck (GIL released if release_gil) and running the signal handlers
// between them: what they raise propagates (nb::python_error).  Python runs
// signal handlers in the main thread only, so other threads wait in one
// piece (an idle waiting thread costs no CPU).  timeout in seconds, none
// meaning forever; returns false once it has passed.
template <typename WaitFor>
bool wait_interruptibly(WaitFor&& ready, std::optional<double> timeout, bool release_gil) {
  using Clock = std::chrono::steady_clock;
  const auto limit = std::chrono::duration<double>(timeout ? std::max(*timeout, 0.0) : 0.0);
  const auto deadline =
      timeout ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                   std::min(limit, std::chrono::duration<double>(1e9)))
              : Clock::time_point::max();
  const std::chrono::nanoseconds longest =
      is_main_thread() ? std::chrono::nanoseconds(kSignalCheck) : std::chrono::hours(1);
  for (;;) {
    const auto now = Clock::now();
    const std::chrono::nanoseconds slice =
        deadline == Clock::time_point::max()
            ? longest
            : std::min<std::chrono::nanoseconds>(longest, std::max(deadline - now, Clock::duration(0)));
    bool done = false;
    if (release_gil) {
      GilRelease release;
      done = ready(slice);
    } else {
      done = ready(slice);
    }
    if (done) return true;
    if (PyErr_CheckSignals() != 0) throw nb::python_error();
    if (Clock::now() >= deadline) return false;
  }
}

// The room wait of every queue opened from Python (see rocksq::RoomWait):
// waits with the GIL released (whether or not the caller holds it),
// interruptibly; an exception from a signal handler abandons the call,
// which then submits nothing.
inline void interruptible_room_wait(
    const std::function<bool(std::chrono::nanoseconds)>& wait_for_room) {
  if (PyGILState_Check()) {
    wait_interruptibly(wait_for_room, std::nullopt, true);
    return;
  }
  // A blocking call submitting without the GIL (see QueueBinder::submit).
  const std::chrono::nanoseconds slice =
      is_main_thread() ? std::chrono::nanoseconds(kSignalCheck) : std::chrono::hours(1);
  while (!wait_for_room(slice)) {
    nb::gil_scoped_acquire acquire;
    if (PyErr_CheckSignals() != 0) throw nb::python_error();
  }
}

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_WAIT_HPP_
