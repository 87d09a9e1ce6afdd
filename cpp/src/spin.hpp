// spin_until: busy-waits (yielding the CPU) for a condition, for a bounded time.
//
// Waking a thread that sleeps on a futex costs tens of microseconds on a
// virtual machine (the idle vCPU must be woken); a request/response hand-off
// that completes within that time is cheaper to wait for by spinning.
#ifndef ROCKSQ_SRC_SPIN_HPP_
#define ROCKSQ_SRC_SPIN_HPP_

#include <chrono>
#include <thread>

namespace rocksq {
namespace internal {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Returns true as soon as done() holds, false if it still does not after
// `limit`.
template <typename Done>
bool spin_until(std::chrono::nanoseconds limit, Done done) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (int i = 0;; ++i) {
    if (done()) return true;
    if (i < 64) {
      cpu_relax();
      continue;
    }
    // Let a thread waiting for this CPU (perhaps the one we wait for) run.
    std::this_thread::yield();
    if ((i & 7) == 0 && std::chrono::steady_clock::now() >= deadline) return done();
  }
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_SPIN_HPP_
