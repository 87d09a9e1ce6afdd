// GilRelease: nb::gil_scoped_release that is safe at interpreter shutdown.
//
// A daemon thread still waiting without the GIL when the interpreter
// finalizes is terminated by Python with pthread_exit() as it re-acquires the
// GIL; that forced unwind runs through a noexcept destructor and nanobind's
// catch (...) and aborts the process ("terminate called without an active
// exception").  Such a thread parks forever instead: the process is exiting.
#ifndef ROCKSQ_BINDINGS_GIL_HPP_
#define ROCKSQ_BINDINGS_GIL_HPP_

#include <Python.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace rocksq_py {

inline bool interpreter_is_finalizing() {
#if PY_VERSION_HEX >= 0x030D0000
  return Py_IsFinalizing() != 0;
#else
  return _Py_IsFinalizing() != 0;
#endif
}

class GilRelease {
 public:
  GilRelease() : state_(PyEval_SaveThread()) {}
  ~GilRelease() {
    // The main thread (thread id == process id) is the one finalizing: it
    // may take the GIL back.  Checked only at shutdown: one syscall then.
    if (interpreter_is_finalizing() && ::syscall(SYS_gettid) != ::getpid()) {
      for (;;) std::this_thread::sleep_for(std::chrono::hours(24));
    }
    PyEval_RestoreThread(state_);
  }

  GilRelease(const GilRelease&) = delete;
  GilRelease& operator=(const GilRelease&) = delete;

 private:
  PyThreadState* const state_;
};

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_GIL_HPP_
