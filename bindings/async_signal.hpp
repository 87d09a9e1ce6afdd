// Wakes asyncio event loops when queue operations complete, without a thread
// per await and without the worker ever taking the GIL.
//
// Each event loop that awaits a Response owns one AsyncSignal: an eventfd
// the loop watches (loop.add_reader) and an "armed" flag the loop sets while
// it has awaiters.  Every nonblocking queue's worker calls
// notify_async_signals() after each group of operations has published its
// results; that writes once to each armed signal and disarms it.  The loop
// then resolves the awaiters whose Response is_ready (rocksq/_asyncio.py).
#ifndef ROCKSQ_BINDINGS_ASYNC_SIGNAL_HPP_
#define ROCKSQ_BINDINGS_ASYNC_SIGNAL_HPP_

#include <nanobind/nanobind.h>

namespace rocksq_py {

namespace nb = nanobind;

// The completion callback of every nonblocking queue.  Thread-safe,
// noexcept, GIL-free; one atomic load when no signal exists.
void notify_async_signals() noexcept;

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_ASYNC_SIGNAL_HPP_
