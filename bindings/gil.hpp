// GilRelease: nb::gil_scoped_release that is safe at interpreter shutdown.
//
// A daemon thread that re-acquires the GIL while the interpreter finalizes is
// ended by Python with pthread_exit(); that forced unwind runs through a
// noexcept destructor and nanobind's catch (...) and aborts the process
// ("terminate called without an active exception").  So once the interpreter
// is exiting (an atexit hook says so, before finalization starts), a thread
// other than the main one parks forever instead of taking the GIL back: the
// process is ending anyway.  The hook first lets every thread already on its
// way back to the GIL get there (a Dekker-style handshake on two atomics).
#ifndef ROCKSQ_BINDINGS_GIL_HPP_
#define ROCKSQ_BINDINGS_GIL_HPP_

#include <Python.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <nanobind/nanobind.h>

namespace rocksq_py {

inline std::atomic<bool> g_interpreter_exiting{false};
inline std::atomic<int> g_threads_retaking_gil{0};

inline bool interpreter_is_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

// The main thread (thread id == process id) runs the exit: it never parks.
inline bool is_main_thread() { return ::syscall(SYS_gettid) == ::getpid(); }

class GilRelease {
 public:
  GilRelease() : state_(PyEval_SaveThread()) {}
  ~GilRelease() {
    g_threads_retaking_gil.fetch_add(1);
    if ((g_interpreter_exiting.load() || interpreter_is_finalizing()) && !is_main_thread()) {
      g_threads_retaking_gil.fetch_sub(1);
      for (;;) std::this_thread::sleep_for(std::chrono::hours(24));
    }
    PyEval_RestoreThread(state_);
    g_threads_retaking_gil.fetch_sub(1);
  }

  GilRelease(const GilRelease&) = delete;
  GilRelease& operator=(const GilRelease&) = delete;

 private:
  PyThreadState* const state_;
};

// Registers the atexit hook that starts parking; call once at module init.
inline void park_threads_at_exit() {
  namespace nb = nanobind;
  nb::module_::import_("atexit").attr("register")(nb::cpp_function([] {
    g_interpreter_exiting.store(true);
    // Threads that got past the check before the store: let them take the
    // GIL now, while that is still safe (at most a second).
    for (int i = 0; i < 1000 && g_threads_retaking_gil.load() > 0; ++i) {
      Py_BEGIN_ALLOW_THREADS
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      Py_END_ALLOW_THREADS
    }
  }));
}

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_GIL_HPP_
