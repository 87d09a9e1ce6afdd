// Bindings of the MPMC log: rocksq.nonblocking.MpmcQueue and
// rocksq.blocking.MpmcQueue, with MpmcResponse and MpmcResponseVariant.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nanobind/nanobind.h>

#include "async_signal.hpp"
#include "bindings.hpp"
#include "convert.hpp"
#include "gil.hpp"
#include "queue_class.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "rocksq/nonblocking/mpmc_queue.hpp"
#include "rocksq/start_position.hpp"
#include "variants.hpp"

namespace rocksq_py {

namespace {

using NonblockingMpmc = rocksq::nonblocking::MpmcQueue;
using BlockingMpmc = rocksq::MpmcQueue;

[[noreturn]] void raise(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw nb::python_error();
}

// A whole number of seconds, 0 < ttl <= kMaxTtlSeconds.
std::chrono::seconds ttl_from_python(nb::handle value) {
  PyObject* obj = value.ptr();
  if (!PyLong_Check(obj)) {
    raise(PyExc_TypeError, std::string("ttl must be an int (seconds), got ") +
                               nb::type_name(value.type()).c_str());
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
  if (overflow < 0 || (overflow == 0 && v <= 0)) {
    raise(PyExc_ValueError,
          std::string("ttl must be a positive number of seconds, got ") + nb::str(value).c_str());
  }
  if (overflow > 0 || v > rocksq::kMaxTtlSeconds) {
    raise(PyExc_OverflowError, "ttl is too large: " + std::string(nb::str(value).c_str()) +
                                   " (at most " + std::to_string(rocksq::kMaxTtlSeconds) +
                                   " seconds)");
  }
  return std::chrono::seconds(v);
}

rocksq::StartPosition start_position_from_python(nb::handle value) {
  if (!nb::isinstance<rocksq::StartPosition>(value)) {
    raise(PyExc_TypeError, std::string("start_position must be a rocksq.StartPosition, got ") +
                               nb::type_name(value.type()).c_str());
  }
  return nb::cast<rocksq::StartPosition>(value);
}

nb::list str_list(const std::vector<std::string>& strings) {
  nb::list list;
  for (const auto& s : strings) {
    PyObject* str =
        PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
    if (str == nullptr) throw nb::python_error();
    list.append(nb::steal(str));
  }
  return list;
}

nb::tuple next_tuple(const rocksq::NextResult& read) {
  return nb::make_tuple(bytes_list(read.items), nb::bool_(read.expired));
}

nb::object variant(MpmcResponseVariant v) { return nb::cast(std::move(v)); }
nb::object mpmc_data(const rocksq::NextResult& read) {
  MpmcResponseVariant v;
  v.data = next_tuple(read);
  return variant(std::move(v));
}
nb::object mpmc_labels(const std::vector<std::string>& labels) {
  MpmcResponseVariant v;
  v.labels = str_list(labels);
  return variant(std::move(v));
}
nb::object mpmc_removed(bool removed) {
  MpmcResponseVariant v;
  v.removed_label = nb::bool_(removed);
  return variant(std::move(v));
}
nb::object mpmc_len(std::size_t n) {
  MpmcResponseVariant v;
  v.len = nb::int_(n);
  return variant(std::move(v));
}
nb::object mpmc_size(std::uint64_t n) {
  MpmcResponseVariant v;
  v.size = nb::int_(n);
  return variant(std::move(v));
}
nb::object mpmc_empty() { return variant(MpmcResponseVariant()); }

template <typename T, typename Convert>
MpmcResponse respond(std::shared_future<T> future, Convert convert) {
  return MpmcResponse{ResponseCore(make_result(std::move(future), std::move(convert)))};
}

const char* const kNonblockingDoc =
    "A persistent append-only log with a TTL, read by any number of consumers.  Each "
    "consumer is named by a label that owns a durable cursor; reading removes nothing.  "
    "Every element lives ttl seconds after it was added, then it is removed (in practice "
    "within milliseconds).  Non-blocking: every method returns an MpmcResponse at once; "
    "its get() waits for the result.\n\n"
    "Parameters\n----------\n"
    "path : str or os.PathLike\n    The log's directory; created with missing parents.\n"
    "ttl : int\n    Seconds each element lives, > 0.  Applies to stored elements too when "
    "the log is reopened with another ttl.\n"
    "max_inflight_ops : int\n    The most operations pending at once; a call beyond that "
    "waits for room.  Default 1_000.\n"
    "durable : bool\n    fsync the write-ahead log on every write (survives power loss). "
    "Default False (survives the process's death).\n"
    "memory_cache_bytes : int\n    Budget in bytes for the newest items kept in memory, "
    "so that consumers that keep up never read them back from disk.  Default 16 MiB.\n\n"
    "Raises\n------\nValueError, TypeError, OverflowError\n    If ttl is not a positive int "
    "of reasonable size.\nRuntimeError\n    If the log cannot be opened (AlreadyOpenError "
    "if it is open elsewhere).";

const char* const kBlockingDoc =
    "A persistent append-only log with a TTL, read by any number of consumers named by "
    "labels (see rocksq.nonblocking.MpmcQueue).  Blocking: every method returns its "
    "result.\n\n"
    "Parameters\n----------\n"
    "path : str or os.PathLike\n    The log's directory; created with missing parents.\n"
    "ttl : int\n    Seconds each element lives, > 0.\n"
    "durable : bool\n    fsync the write-ahead log on every write.  Default False.\n"
    "memory_cache_bytes : int\n    Budget in bytes for the newest items kept in memory, "
    "so that consumers that keep up never read them back from disk.  Default 16 MiB.\n\n"
    "Raises\n------\nValueError, TypeError, OverflowError\n    If ttl is not a positive int "
    "of reasonable size.\nRuntimeError\n    If the log cannot be opened.";

const char* const kAddDoc =
    "Appends items (a list of bytes-like objects) to the log, atomically.\n\n"
    "GIL: released while the call waits (blocking: for the result; non-blocking: for room "
    "under max_inflight_ops) when no_gil is True (the default).\n\n"
    "Raises\n------\nTypeError\n    If items is not a list of bytes-like objects.";

const char* const kNextDoc =
    "Reads up to max_elements elements following the last one label read, and durably "
    "moves label's cursor past them.\n\n"
    "Parameters\n----------\n"
    "label : str\n    The consumer.  A label not seen before is created at start_position.\n"
    "start_position : rocksq.StartPosition\n    Where a new label starts: Oldest (the "
    "oldest element held) or Newest (the newest element already added, returned by this "
    "call; on an empty log, the next one added).  Ignored for existing labels.\n"
    "max_elements : int\n    The most elements returned.  Default 1.\n"
    "no_gil : bool\n    Release the GIL while the call waits.  Default True.\n\n"
    "The result is (items, expired): expired is True when elements this label had not "
    "read yet were removed by the TTL (reading goes on with the oldest element held).\n\n"
    "Raises\n------\nTypeError\n    If label is not a str or start_position not a "
    "StartPosition.";

}  // namespace

void bind_mpmc(nb::module_& nonblocking, nb::module_& blocking) {
  // Static: the docstrings outlive this function.
  static const std::string kNonblockingAddDoc =
      std::string(kAddDoc) + "\n\nReturns\n-------\nMpmcResponse\n    get() returns once the "
                             "items are stored.";
  static const std::string kNonblockingNextDoc =
      std::string(kNextDoc) + "\n\nReturns\n-------\nMpmcResponse\n    get().data is "
                              "(items, expired).";
  static const std::string kBlockingNextDoc =
      std::string(kNextDoc) + "\n\nReturns\n-------\ntuple[list[bytes], bool]\n    "
                              "(items, expired).";
  nb::class_<MpmcResponseVariant>(nonblocking, "MpmcResponseVariant",
                                  "The result of an MpmcQueue operation.  Created by the "
                                  "library only.")
      .def_prop_ro("data", [](const MpmcResponseVariant& v) { return v.data; },
                   "(list[bytes], bool) for next(): the items and whether unread elements "
                   "expired; else None.")
      .def_prop_ro("labels", [](const MpmcResponseVariant& v) { return v.labels; },
                   "list[str] (sorted) for labels, else None.")
      .def_prop_ro("len", [](const MpmcResponseVariant& v) { return v.len; },
                   "int for len, else None.")
      .def_prop_ro("removed_label", [](const MpmcResponseVariant& v) { return v.removed_label; },
                   "bool for remove_label(): True if the label existed; else None.")
      .def_prop_ro("size", [](const MpmcResponseVariant& v) { return v.size; },
                   "int for payload_size and disk_size, else None.");
  bind_response<MpmcResponse>(nonblocking, "MpmcResponse", "MpmcResponseVariant");

  nb::class_<NonblockingMpmc> nonblocking_mpmc(nonblocking, "MpmcQueue", kNonblockingDoc);
  nonblocking_mpmc
      .def("__init__",
           [](NonblockingMpmc* self, nb::handle path, nb::handle ttl,
              nb::handle max_inflight_ops, bool durable,
              nb::handle memory_cache_bytes) {
             const std::string p = path_from_python(path, "path");
             const std::chrono::seconds t = ttl_from_python(ttl);
             const std::size_t inflight = count_from_python(max_inflight_ops, "max_inflight_ops");
             if (inflight == 0) throw std::invalid_argument("max_inflight_ops must be >= 1, got 0");
             const rocksq::Options options = options_from(durable, memory_cache_bytes);
             GilRelease release;
             new (self) NonblockingMpmc(p, t, inflight, options);
             self->set_completion_callback(notify_async_signals);  // for await
           },
           nb::arg("path").none(), nb::arg("ttl").none(),
           nb::arg("max_inflight_ops").none() = 1000, nb::kw_only(), nb::arg("durable") = false,
           nb::arg("memory_cache_bytes") = kDefaultMemoryCacheBytes,
           nb::sig("def __init__(self, path: str | os.PathLike[str], ttl: int, "
                   "max_inflight_ops: int = 1000, *, durable: bool = False, "
                   "memory_cache_bytes: int = 16777216) -> None"),
           "Opens (or creates) the log at path and starts its worker thread.\n\n"
           "See the class docstring for the parameters.")
      .def("add",
           [](NonblockingMpmc& q, nb::handle items, bool no_gil) {
             auto batch = items_from_python(items, "items");
             auto future = maybe_without_gil(no_gil && submit_may_wait(q), [&] { return q.add(std::move(batch)); });
             return respond(std::move(future), mpmc_empty);
           },
           nb::arg("items").none(), nb::arg("no_gil") = true,
           nb::sig("def add(self, items: list[bytes], no_gil: bool = True) -> MpmcResponse"),
           kNonblockingAddDoc.c_str())
      .def("next",
           [](NonblockingMpmc& q, nb::handle label, nb::handle start_position,
              nb::handle max_elements, bool no_gil) {
             std::string l = label_from_python(label, "label");
             const rocksq::StartPosition start = start_position_from_python(start_position);
             const std::size_t n = count_from_python(max_elements, "max_elements");
             auto future =
                 maybe_without_gil(no_gil && submit_may_wait(q), [&] { return q.next(std::move(l), start, n); });
             return respond(std::move(future), mpmc_data);
           },
           nb::arg("label").none(), nb::arg("start_position").none(),
           nb::arg("max_elements").none() = 1, nb::arg("no_gil") = true,
           nb::sig("def next(self, label: str, start_position: rocksq.StartPosition, "
                   "max_elements: int = 1, no_gil: bool = True) -> MpmcResponse"),
           kNonblockingNextDoc.c_str())
      .def_prop_ro("labels", [](NonblockingMpmc& q) { return respond(q.labels(), mpmc_labels); },
                   "The consumer labels: an MpmcResponse whose get().labels is a sorted "
                   "list[str].")
      .def("remove_label",
           [](NonblockingMpmc& q, nb::handle label, bool no_gil) {
             std::string l = label_from_python(label, "label");
             auto future = maybe_without_gil(no_gil && submit_may_wait(q), [&] { return q.remove_label(std::move(l)); });
             return respond(std::move(future), mpmc_removed);
           },
           nb::arg("label").none(), nb::arg("no_gil") = true,
           nb::sig("def remove_label(self, label: str, no_gil: bool = True) -> MpmcResponse"),
           "Forgets label and its cursor; if it reads again it starts afresh.\n\n"
           "Returns\n-------\nMpmcResponse\n    get().removed_label is True if the label "
           "existed.")
      .def_prop_ro("len", [](NonblockingMpmc& q) { return respond(q.len(), mpmc_len); },
                   "The number of elements held (expired ones excluded): an MpmcResponse "
                   "whose get().len is an int.")
      .def_prop_ro("payload_size",
                   [](NonblockingMpmc& q) { return respond(q.payload_size(), mpmc_size); },
                   "Total bytes of the elements held: an MpmcResponse whose get().size is an "
                   "int.")
      .def_prop_ro("disk_size",
                   [](NonblockingMpmc& q) { return respond(q.disk_size(), mpmc_size); },
                   "Bytes used by the log's directory: an MpmcResponse whose get().size is an "
                   "int.");
  add_nonblocking_lifecycle(nonblocking_mpmc,
                            "Completes pending operations and releases the log.  Later calls "
                            "raise QueueClosedError.  Idempotent.");

  nb::class_<BlockingMpmc> blocking_mpmc(blocking, "MpmcQueue", kBlockingDoc);
  blocking_mpmc
      .def("__init__",
           [](BlockingMpmc* self, nb::handle path, nb::handle ttl, bool durable,
              nb::handle memory_cache_bytes) {
             const std::string p = path_from_python(path, "path");
             const std::chrono::seconds t = ttl_from_python(ttl);
             const rocksq::Options options = options_from(durable, memory_cache_bytes);
             GilRelease release;
             new (self) BlockingMpmc(p, t, options);
           },
           nb::arg("path").none(), nb::arg("ttl").none(), nb::kw_only(), nb::arg("durable") = false,
           nb::arg("memory_cache_bytes") = kDefaultMemoryCacheBytes,
           nb::sig("def __init__(self, path: str | os.PathLike[str], ttl: int, *, "
                   "durable: bool = False, "
                   "memory_cache_bytes: int = 16777216) -> None"),
           "Opens (or creates) the log at path.\n\nSee the class docstring for the "
           "parameters.")
      .def("add",
           [](BlockingMpmc& q, nb::handle items, bool no_gil) {
             auto batch = items_from_python(items, "items");
             maybe_without_gil(no_gil, [&] { q.add(std::move(batch)); });
           },
           nb::arg("items").none(), nb::arg("no_gil") = true,
           nb::sig("def add(self, items: list[bytes], no_gil: bool = True) -> None"), kAddDoc)
      .def("next",
           [](BlockingMpmc& q, nb::handle label, nb::handle start_position,
              nb::handle max_elements, bool no_gil) {
             const std::string l = label_from_python(label, "label");
             const rocksq::StartPosition start = start_position_from_python(start_position);
             const std::size_t n = count_from_python(max_elements, "max_elements");
             const rocksq::NextResult read =
                 maybe_without_gil(no_gil, [&] { return q.next(l, start, n); });
             return next_tuple(read);
           },
           nb::arg("label").none(), nb::arg("start_position").none(),
           nb::arg("max_elements").none() = 1, nb::arg("no_gil") = true,
           nb::sig("def next(self, label: str, start_position: rocksq.StartPosition, "
                   "max_elements: int = 1, no_gil: bool = True) -> tuple[list[bytes], bool]"),
           kBlockingNextDoc.c_str())
      .def("remove_label",
           [](BlockingMpmc& q, nb::handle label, bool no_gil) {
             const std::string l = label_from_python(label, "label");
             return maybe_without_gil(no_gil, [&] { return q.remove_label(l); });
           },
           nb::arg("label").none(), nb::arg("no_gil") = true,
           nb::sig("def remove_label(self, label: str, no_gil: bool = True) -> bool"),
           "Forgets label and its cursor; returns True if it existed.")
      .def_prop_ro("labels",
                   [](BlockingMpmc& q) {
                     std::vector<std::string> labels;
                     {
                       GilRelease release;
                       labels = q.labels();
                     }
                     return str_list(labels);
                   },
                   "The consumer labels, sorted.")
      .def_prop_ro("len", &BlockingMpmc::len, nb::call_guard<GilRelease>(),
                   "The number of elements held (expired ones excluded).")
      .def_prop_ro("is_empty", &BlockingMpmc::is_empty, nb::call_guard<GilRelease>(),
                   "True if the log holds no element.")
      .def_prop_ro("payload_size", &BlockingMpmc::payload_size,
                   nb::call_guard<GilRelease>(), "Total bytes of the elements held.")
      .def_prop_ro("disk_size", &BlockingMpmc::disk_size,
                   nb::call_guard<GilRelease>(), "Bytes used by the log's directory.");
  add_lifecycle(blocking_mpmc,
                "Releases the log.  Later calls raise QueueClosedError.  Idempotent.");
}

}  // namespace rocksq_py
