#include "rocksq/fork.hpp"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "fork_guard.hpp"

namespace rocksq {

namespace {

std::atomic<std::uint64_t> g_generation{0};
std::atomic<bool> g_queue_opened{false};

// RocksDB's static objects (its timer, its thread pools) wait at exit() for
// threads that exist only in the parent: a forked child that exits normally
// would hang or crash there.  So such a child ends as multiprocessing's
// children do (os._exit), after flushing stdio.
void exit_without_static_destructors(int status, void*) {
  std::fflush(nullptr);
  _exit(status);
}

void on_fork_in_child() {
  g_generation.fetch_add(1, std::memory_order_relaxed);
  // Registered last, so it runs first among the exit handlers.
  if (g_queue_opened.load(std::memory_order_relaxed)) {
    on_exit(exit_without_static_destructors, nullptr);
  }
}

// Registered when the library is loaded, before any queue can exist.
const bool g_registered = pthread_atfork(nullptr, nullptr, on_fork_in_child) == 0;

}  // namespace

std::uint64_t fork_generation() {
  static_cast<void>(g_registered);
  return g_generation.load(std::memory_order_relaxed);
}

namespace internal {

void note_queue_opened() { g_queue_opened.store(true, std::memory_order_relaxed); }

}  // namespace internal

}  // namespace rocksq
