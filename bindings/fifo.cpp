// Bindings of the FIFO queue: rocksq.nonblocking.PersistentQueueWithCapacity
// and rocksq.blocking.PersistentQueueWithCapacity.
#include <memory>
#include <string>
#include <vector>

#include <nanobind/nanobind.h>

#include "async_signal.hpp"
#include "bindings.hpp"
#include "convert.hpp"
#include "gil.hpp"
#include "queue_class.hpp"
#include "rocksq/nonblocking/persistent_queue.hpp"
#include "rocksq/persistent_queue.hpp"
#include "variants.hpp"

namespace rocksq_py {

namespace {

using NonblockingFifo = rocksq::nonblocking::PersistentQueueWithCapacity;
using BlockingFifo = rocksq::PersistentQueueWithCapacity;

nb::object fifo_data(const std::vector<std::string>& items) {
  ResponseVariant v;
  v.data = bytes_list(items);
  return nb::cast(std::move(v));
}
nb::object fifo_len(std::size_t n) {
  ResponseVariant v;
  v.len = nb::int_(n);
  return nb::cast(std::move(v));
}
nb::object fifo_size(std::uint64_t n) {
  ResponseVariant v;
  v.size = nb::int_(n);
  return nb::cast(std::move(v));
}
nb::object fifo_empty() { return nb::cast(ResponseVariant()); }

template <typename T, typename Convert>
Response respond(std::shared_future<T> future, Convert convert) {
  return Response{ResponseCore(make_result(std::move(future), std::move(convert)))};
}

const char* const kNonblockingDoc =
    "A persistent FIFO queue with a fixed capacity.  Non-blocking: every method "
    "returns a Response at once; its get() waits for the result.\n\n"
    "Parameters\n----------\n"
    "path : str or os.PathLike\n    The queue's directory; created with missing parents.\n"
    "max_elements : int\n    The most items the queue holds.  Default 1_000_000_000.\n"
    "max_inflight_ops : int\n    The most operations pending at once; a call beyond that "
    "waits for room.  Default 1_000.\n"
    "durable : bool\n    fsync the write-ahead log on every write (survives power loss). "
    "Default False (survives the process's death).\n"
    "memory_cache_bytes : int\n    Budget in bytes for the newest items kept in memory, "
    "so that consumers that keep up never read them back from disk.  Default 16 MiB.\n\n"
    "Raises\n------\nRuntimeError\n    If the queue cannot be opened (AlreadyOpenError "
    "if it is open elsewhere).";

const char* const kBlockingDoc =
    "A persistent FIFO queue with a fixed capacity.  Blocking: every method returns "
    "its result.\n\n"
    "Parameters\n----------\n"
    "path : str or os.PathLike\n    The queue's directory; created with missing parents.\n"
    "max_elements : int\n    The most items the queue holds.  Default 1_000_000_000.\n"
    "durable : bool\n    fsync the write-ahead log on every write.  Default False.\n"
    "memory_cache_bytes : int\n    Budget in bytes for the newest items kept in memory, "
    "so that consumers that keep up never read them back from disk.  Default 16 MiB.\n\n"
    "Raises\n------\nRuntimeError\n    If the queue cannot be opened.";

}  // namespace

void bind_fifo(nb::module_& nonblocking, nb::module_& blocking) {
  nb::class_<ResponseVariant>(nonblocking, "ResponseVariant",
                              "The result of a PersistentQueueWithCapacity operation.  "
                              "Created by the library only.")
      .def_prop_ro("data", [](const ResponseVariant& v) { return v.data; },
                   "list[bytes] for pop(), else None.")
      .def_prop_ro("len", [](const ResponseVariant& v) { return v.len; },
                   "int for len, else None.")
      .def_prop_ro("size", [](const ResponseVariant& v) { return v.size; },
                   "int for payload_size and disk_size, else None.");
  bind_response<Response>(nonblocking, "Response", "ResponseVariant");

  nb::class_<NonblockingFifo> nonblocking_fifo(nonblocking, "PersistentQueueWithCapacity",
                                               kNonblockingDoc);
  nonblocking_fifo
      .def("__init__",
           [](NonblockingFifo* self, nb::handle path, nb::handle max_elements,
              nb::handle max_inflight_ops, bool durable,
              nb::handle memory_cache_bytes) {
             const std::string p = path_from_python(path, "path");
             const std::size_t max = count_from_python(max_elements, "max_elements");
             const std::size_t inflight = count_from_python(max_inflight_ops, "max_inflight_ops");
             if (inflight == 0) throw std::invalid_argument("max_inflight_ops must be >= 1, got 0");
             const rocksq::Options options = options_from(durable, memory_cache_bytes);
             GilRelease release;
             new (self) NonblockingFifo(p, max, inflight, options);
             self->set_completion_callback(notify_async_signals);  // for await
           },
           nb::arg("path").none(), nb::arg("max_elements").none() = 1'000'000'000,
           nb::arg("max_inflight_ops").none() = 1000, nb::kw_only(), nb::arg("durable") = false,
           nb::arg("memory_cache_bytes") = kDefaultMemoryCacheBytes,
           "Opens (or creates) the queue at path and starts its worker thread.\n\n"
           "See the class docstring for the parameters.")
      .def("push",
           [](NonblockingFifo& q, nb::handle items, bool no_gil) {
             auto batch = items_from_python(items, "items");
             auto future = maybe_without_gil(no_gil && submit_may_wait(q),
                                             [&] { return q.push(std::move(batch)); });
             return respond(std::move(future), fifo_empty);
           },
           nb::arg("items").none(), nb::arg("no_gil") = true,
           "Adds items (a list of bytes-like objects) to the queue, atomically.\n\n"
           "GIL: released while waiting for room (see max_inflight_ops) when no_gil is True "
           "(the default).\n\n"
           "Parameters\n----------\nitems : list of bytes\n    The items to add (bytes, "
           "bytearray or memoryview; copied).\nno_gil : bool\n    Release the GIL while "
           "waiting for room.  Default True.\n\n"
           "Returns\n-------\nResponse\n    get() (or await) returns once the items are "
           "stored; it raises QueueFullError (nothing written) if they would exceed "
           "max_elements.\n\n"
           "Raises\n------\nTypeError\n    If items is not a list of bytes-like objects.\n"
           "QueueClosedError\n    If the queue is closed.")
      .def("pop",
           [](NonblockingFifo& q, nb::handle max_elements, bool no_gil) {
             const std::size_t n = count_from_python(max_elements, "max_elements");
             auto future = maybe_without_gil(no_gil && submit_may_wait(q), [&] { return q.pop(n); });
             return respond(std::move(future), fifo_data);
           },
           nb::arg("max_elements").none() = 1, nb::arg("no_gil") = true,
           "Removes and returns up to max_elements of the oldest items.\n\n"
           "GIL: released while waiting for room (see max_inflight_ops) when no_gil is True "
           "(the default).\n\n"
           "Parameters\n----------\nmax_elements : int\n    The most items to remove.  "
           "Default 1.\nno_gil : bool\n    Release the GIL while waiting for room.  Default True.\n\n"
           "Returns\n-------\nResponse\n    get().data (or (await ...).data) is the list of "
           "bytes, oldest first ([] if the queue is empty).  The items are removed even if "
           "nobody reads the Response.\n\n"
           "Raises\n------\nTypeError, ValueError, OverflowError\n    If max_elements is "
           "not a non-negative int.\nQueueClosedError\n    If the queue is closed.")
      .def_prop_ro("len", [](NonblockingFifo& q) { return respond(q.len(), fifo_len); },
                   "The number of items held, as a Response whose get().len is an int.")
      .def_prop_ro("payload_size",
                   [](NonblockingFifo& q) { return respond(q.payload_size(), fifo_size); },
                   "Total bytes of the items held, as a Response whose get().size is an int.")
      .def_prop_ro("disk_size",
                   [](NonblockingFifo& q) { return respond(q.disk_size(), fifo_size); },
                   "Bytes used by the queue's directory, as a Response whose get().size is an int.");
  add_nonblocking_lifecycle(nonblocking_fifo,
                            "Completes pending operations and releases the queue.  Later calls "
                            "raise QueueClosedError.  Idempotent.");

  nb::class_<BlockingFifo> blocking_fifo(blocking, "PersistentQueueWithCapacity", kBlockingDoc);
  blocking_fifo
      .def("__init__",
           [](BlockingFifo* self, nb::handle path, nb::handle max_elements, bool durable,
              nb::handle memory_cache_bytes) {
             const std::string p = path_from_python(path, "path");
             const std::size_t max = count_from_python(max_elements, "max_elements");
             const rocksq::Options options = options_from(durable, memory_cache_bytes);
             GilRelease release;
             new (self) BlockingFifo(p, max, options);
           },
           nb::arg("path").none(), nb::arg("max_elements").none() = 1'000'000'000, nb::kw_only(),
           nb::arg("durable") = false,
           nb::arg("memory_cache_bytes") = kDefaultMemoryCacheBytes,
           "Opens (or creates) the queue at path.\n\nSee the class docstring for the "
           "parameters.")
      .def("push",
           [](BlockingFifo& q, nb::handle items, bool no_gil) {
             auto batch = items_from_python(items, "items");
             maybe_without_gil(no_gil, [&] { q.push(std::move(batch)); });
           },
           nb::arg("items").none(), nb::arg("no_gil") = true,
           "Adds items (a list of bytes-like objects) to the queue, atomically.\n\n"
           "GIL: released while writing when no_gil is True (the default).\n\n"
           "Parameters\n----------\nitems : list of bytes\n    The items to add (bytes, "
           "bytearray or memoryview; copied).\nno_gil : bool\n    Release the GIL while "
           "writing.  Default True.\n\n"
           "Raises\n------\nQueueFullError\n    If they would exceed max_elements; nothing "
           "is written.\nTypeError\n    If items is not a list of bytes-like objects.")
      .def("pop",
           [](BlockingFifo& q, nb::handle max_elements, bool no_gil) {
             const std::size_t n = count_from_python(max_elements, "max_elements");
             auto items = maybe_without_gil(no_gil, [&] { return q.pop(n); });
             return bytes_list(items);
           },
           nb::arg("max_elements").none() = 1, nb::arg("no_gil") = true,
           "Removes and returns up to max_elements of the oldest items.\n\n"
           "GIL: released while reading when no_gil is True (the default).\n\n"
           "Parameters\n----------\nmax_elements : int\n    The most items to remove.  "
           "Default 1.\nno_gil : bool\n    Release the GIL while reading.  Default True.\n\n"
           "Returns\n-------\nlist of bytes\n    The items, oldest first ([] if the queue "
           "is empty).")
      .def_prop_ro("len", &BlockingFifo::len, nb::call_guard<GilRelease>(),
                   "The number of items held.")
      .def_prop_ro("is_empty", &BlockingFifo::is_empty, nb::call_guard<GilRelease>(),
                   "True if the queue holds no item.")
      .def_prop_ro("payload_size", &BlockingFifo::payload_size,
                   nb::call_guard<GilRelease>(), "Total bytes of the items held.")
      .def_prop_ro("disk_size", &BlockingFifo::disk_size,
                   nb::call_guard<GilRelease>(),
                   "Bytes used by the queue's directory.");
  add_lifecycle(blocking_fifo,
                "Releases the queue.  Later calls raise QueueClosedError.  Idempotent.");
}

}  // namespace rocksq_py
