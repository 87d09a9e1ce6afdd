// Bindings of the MPMC log: rocksq.nonblocking.MpmcQueue and
// rocksq.blocking.MpmcQueue, one template for both, with MpmcResponse and
// MpmcResponseVariant.
#include <nanobind/nanobind.h>

#include "bindings.hpp"
#include "args.hpp"
#include "convert.hpp"
#include "ops.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "variants.hpp"

namespace rocksq_py {

namespace {

using Mpmc = rocksq::nonblocking::MpmcQueue;

const char* const kClassDoc =
    "A persistent append-only log with a TTL, read by any number of consumers.  Each "
    "consumer is named by a label that owns a durable cursor; reading removes nothing.  "
    "Every element lives ttl seconds after it was added, then it is removed (in practice "
    "within milliseconds).\n\n"
    "Parameters\n----------\n"
    "path : str or os.PathLike\n    The log's directory; created with missing parents.\n"
    "ttl : int\n    Seconds each element lives, > 0.  Applies to stored elements too when "
    "the log is reopened with another ttl.\n"
    "max_inflight_ops : int\n    (non-blocking) The most operations pending at once; a call "
    "beyond that waits for room.  Default 1_000.\n"
    "durable : bool\n    fsync the write-ahead log on every write (survives power loss). "
    "Default False (survives the process's death).\n"
    "memory_cache_bytes : int\n    Budget in bytes for the newest items kept in memory, so "
    "that consumers that keep up never read them back from disk.  Default 16 MiB.\n"
    "shared : bool\n    Let other processes open it too (each with shared=True): the first "
    "owns it and serves the others over a Unix socket in its directory; another takes over "
    "when it closes or dies.  Operations in flight when the owner dies raise OwnerLostError.  "
    "Default False (a second process gets AlreadyOpenError).\n\n"
    "Raises\n------\nValueError, TypeError, OverflowError\n    If ttl is not a positive int "
    "of reasonable size.\nRuntimeError\n    If the log cannot be opened (AlreadyOpenError "
    "if it is open elsewhere).";

const char* const kNextDoc =
    "Reads up to max_elements elements following the last one label read, and durably "
    "moves label's cursor past them.\n\n"
    "Parameters\n----------\n"
    "label : str\n    The consumer.  A label not seen before is created at start_position.\n"
    "start_position : rocksq.StartPosition\n    Where a new label starts: Oldest (the "
    "oldest element held) or Newest (the newest element already added, returned by this "
    "call; on an empty log, the next one added).  Ignored for existing labels.\n"
    "max_elements : int\n    The most elements returned.  Default 1.\n"
    "no_gil : bool\n    Release the GIL while the call waits.  Default True.\n"
    "timeout : float or None\n    If there is nothing to read, how many seconds to wait for "
    "an element (0, the default: not at all; None: until one is added or the log is "
    "closed).\n"
    "commit : bool\n    False moves the cursor in memory only, until commit(label): after a "
    "reopen (or a crash) the label resumes after its last committed read, so what was read "
    "since is delivered again (at-least-once).  Default True.\n\n"
    "The result is (items, expired): expired is True when elements this label had not "
    "read yet were removed by the TTL (reading goes on with the oldest element held).";

template <typename Flavour>
void bind(nb::module_& m) {
  using Binder = QueueBinder<Flavour, Mpmc, MpmcResponse>;
  using Self = typename Binder::Self;
  nb::class_<Self> cls(m, "MpmcQueue", kClassDoc);
  const auto path = nb::arg("path").none();
  const auto ttl = nb::arg("ttl").none();
  const auto durable = nb::arg("durable") = false;
  const auto budget = nb::arg("memory_cache_bytes").none() = kDefaultMemoryCacheBytes;
  const auto shared = nb::arg("shared") = false;
  if constexpr (Binder::kBlocking) {
    def_typed(
        cls, "__init__",
        [](Self* self, PathArg path, IntArg ttl, bool durable, IntArg budget, bool shared) {
          Binder::construct(self, path_from_python(path.object, "path"),
                            ttl_from_python(ttl.object),
                            options_from(durable, budget.object, shared));
        },
        {kPathType, "int", "bool", "int", "bool"}, "None",
        "Opens (or creates) the log at path.  See the class docstring.", path, ttl,
        nb::kw_only(), durable, budget,
        shared);
  } else {
    def_typed(
        cls, "__init__",
        [](Self* self, PathArg path, IntArg ttl, IntArg max_inflight_ops, bool durable,
           IntArg budget, bool shared) {
          Binder::construct(self, path_from_python(path.object, "path"),
                            ttl_from_python(ttl.object),
                            inflight_from_python(max_inflight_ops.object),
                            options_from(durable, budget.object, shared));
        },
        {kPathType, "int", "int", "bool", "int", "bool"}, "None",
        "Opens (or creates) the log at path and starts its worker thread.  See the class "
        "docstring.",
        path, ttl, nb::arg("max_inflight_ops").none() = 1000, nb::kw_only(), durable, budget,
        shared);
  }
  Binder b(cls);
  b.op("add", &Mpmc::add, "Appends items (a list of bytes-like objects, copied), atomically.",
       nb::arg("items").none(), no_gil());
  b.template waiting_op<&MpmcResponseVariant::data, next_tuple>(
      "next", &Mpmc::next, kNextDoc, nb::arg("label").none(), nb::arg("start_position").none(),
      nb::arg("max_elements").none() = 1, no_gil(), nb::arg("timeout").none() = 0.0,
      nb::arg("commit").none() = true);
  b.op("commit", &Mpmc::commit,
       "Makes durable where label's reads (those with commit=False) left its cursor.  Raises "
       "ValueError if there is no such label.",
       nb::arg("label").none(), no_gil());
  b.template op<&MpmcResponseVariant::data, next_tuple>(
      "peek", &Mpmc::peek,
      "What next() would return after a reopen, (items, expired): from the label's last "
      "committed position, moving no cursor and creating no label.",
      nb::arg("label").none(), nb::arg("start_position").none(),
      nb::arg("max_elements").none() = 1, no_gil());
  b.template op<&MpmcResponseVariant::removed_label, bool_of>(
      "remove_label", &Mpmc::remove_label,
      "Forgets label and its cursor; if it reads again it starts afresh.  The result is True "
      "if the label existed (.removed_label).",
      nb::arg("label").none(), no_gil());
  b.template prop<&MpmcResponseVariant::labels, str_list>("labels", &Mpmc::labels,
                                                 "The consumer labels, sorted (.labels); a label read only with commit=False "
                                                 "appears once committed.");
  b.template prop<&MpmcResponseVariant::len, int_of>(
      "len", &Mpmc::len, "The number of elements held, expired ones excluded (.len).");
  b.template prop<&MpmcResponseVariant::size, int_of>("payload_size", &Mpmc::payload_size,
                                              "Total bytes of the elements held (.size).");
  b.template prop<&MpmcResponseVariant::size, int_of>("disk_size", &Mpmc::disk_size,
                                              "Bytes used by the log's directory (.size).");
  if constexpr (Binder::kBlocking) {
    b.template prop<nullptr, bool_of>("is_empty", &Mpmc::is_empty, "True if the log holds no element.");
  }
  b.lifecycle("Completes pending operations and releases the log.  Later calls raise "
              "QueueClosedError.  Idempotent.");
}

}  // namespace

void bind_mpmc(nb::module_& nonblocking, nb::module_& blocking) {
  nb::class_<MpmcResponseVariant>(nonblocking, "MpmcResponseVariant",
                                  "The result of an MpmcQueue operation.  Created by the "
                                  "library only.")
      .def_ro("data", &MpmcResponseVariant::data,
              "(list[bytes], bool) for next(): the items and whether unread elements expired; "
              "else None.")
      .def_ro("labels", &MpmcResponseVariant::labels, "list[str] (sorted) for labels, else None.")
      .def_ro("len", &MpmcResponseVariant::len, "int for len, else None.")
      .def_ro("removed_label", &MpmcResponseVariant::removed_label,
              "bool for remove_label(): True if the label existed; else None.")
      .def_ro("size", &MpmcResponseVariant::size, "int for payload_size and disk_size, else None.");
  bind_response<MpmcResponse>(nonblocking, "MpmcResponse", "MpmcResponseVariant");
  bind<PyNonBlocking>(nonblocking);
  bind<PyBlocking>(blocking);
}

}  // namespace rocksq_py
