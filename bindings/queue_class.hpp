// What the bindings of the queue classes share: Options from keywords, calls
// made with or without the GIL, and the close/with-statement methods.
#ifndef ROCKSQ_BINDINGS_QUEUE_CLASS_HPP_
#define ROCKSQ_BINDINGS_QUEUE_CLASS_HPP_

#include <nanobind/nanobind.h>

#include "convert.hpp"
#include "gil.hpp"
#include "rocksq/options.hpp"

namespace rocksq_py {

namespace nb = nanobind;

inline rocksq::Options options_from(bool durable, nb::handle memory_cache_bytes) {
  rocksq::Options options;
  options.durable = durable;
  options.memory_cache_bytes = count_from_python(memory_cache_bytes, "memory_cache_bytes");
  return options;
}

// The default of the memory_cache_bytes keyword: the C++ default.
inline const std::size_t kDefaultMemoryCacheBytes = rocksq::Options().memory_cache_bytes;


// Runs fn with the GIL released when no_gil is set.
template <typename Fn>
auto maybe_without_gil(bool no_gil, Fn&& fn) {
  if (no_gil) {
    GilRelease release;
    return fn();
  }
  return fn();
}

// A submission waits only while max_inflight_ops operations are pending.
// Otherwise it takes microseconds: releasing the GIL for it would cost a GIL
// hand-off (a futex wake-up) per call when several threads use the queue.
template <typename Queue>
bool submit_may_wait(const Queue& q) {
  return q.inflight_ops() + 1 >= q.max_inflight_ops();
}

// Adds close() (documented by close_doc), __enter__ and __exit__ to a queue
// class.  close() releases the GIL: it waits for the queue's pending work.
template <typename Queue>
nb::class_<Queue>& add_lifecycle(nb::class_<Queue>& cls, const char* close_doc) {
  return cls
      .def("close",
           [](Queue& q) {
             GilRelease release;
             q.close();
           },
           close_doc)
      .def("__enter__", [](nb::handle self) { return nb::borrow(self); },
           "Returns the queue itself (with-statement support).")
      .def("__exit__",
           [](Queue& q, nb::args) {
             GilRelease release;
             q.close();
           },
           "Closes the queue (see close()).");
}

// add_lifecycle, preceded by the inflight_ops property of a non-blocking
// queue.
template <typename Queue>
nb::class_<Queue>& add_nonblocking_lifecycle(nb::class_<Queue>& cls, const char* close_doc) {
  cls.def_prop_ro("inflight_ops", &Queue::inflight_ops,
                  "Operations submitted whose result is not yet available.");
  return add_lifecycle(cls, close_doc);
}

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_QUEUE_CLASS_HPP_
