// Bindings of the FIFO queue: rocksq.nonblocking.PersistentQueueWithCapacity
// and rocksq.blocking.PersistentQueueWithCapacity, one template for both.
#include <nanobind/nanobind.h>

#include "bindings.hpp"
#include "args.hpp"
#include "convert.hpp"
#include "ops.hpp"
#include "rocksq/persistent_queue.hpp"
#include "variants.hpp"

namespace rocksq_py {

namespace {

using Fifo = rocksq::nonblocking::PersistentQueueWithCapacity;

const char* const kClassDoc =
    "A persistent FIFO queue with a fixed capacity.\n\n"
    "Parameters\n----------\n"
    "path : str or os.PathLike\n    The queue's directory; created with missing parents.\n"
    "max_elements : int\n    The most items the queue holds.  Default 1_000_000_000.\n"
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
    "Raises\n------\nRuntimeError\n    If the queue cannot be opened (AlreadyOpenError if it "
    "is open elsewhere).";

template <typename Flavour>
void bind(nb::module_& m) {
  using Binder = QueueBinder<Flavour, Fifo, Response>;
  using Self = typename Binder::Self;
  nb::class_<Self> cls(m, "PersistentQueueWithCapacity", kClassDoc);
  const auto path = nb::arg("path").none();
  const auto max_elements = nb::arg("max_elements").none() = 1'000'000'000;
  const auto durable = nb::arg("durable") = false;
  const auto budget = nb::arg("memory_cache_bytes").none() = kDefaultMemoryCacheBytes;
  const auto shared = nb::arg("shared") = false;
  if constexpr (Binder::kBlocking) {
    def_typed(
        cls, "__init__",
        [](Self* self, PathArg path, IntArg max_elements, bool durable, IntArg budget,
           bool shared) {
          Binder::construct(self, path_from_python(path.object, "path"),
                            count_from_python(max_elements.object, "max_elements"),
                            options_from(durable, budget.object, shared));
        },
        {kPathType, "int", "bool", "int", "bool"}, "None",
        "Opens (or creates) the queue at path.  See the class docstring.", path, max_elements,
        nb::kw_only(), durable, budget,
        shared);
  } else {
    def_typed(
        cls, "__init__",
        [](Self* self, PathArg path, IntArg max_elements, IntArg max_inflight_ops, bool durable,
           IntArg budget, bool shared) {
          Binder::construct(self, path_from_python(path.object, "path"),
                            count_from_python(max_elements.object, "max_elements"),
                            inflight_from_python(max_inflight_ops.object),
                            options_from(durable, budget.object, shared));
        },
        {kPathType, "int", "int", "bool", "int", "bool"}, "None",
        "Opens (or creates) the queue at path and starts its worker thread.  See the class "
        "docstring.",
        path, max_elements, nb::arg("max_inflight_ops").none() = 1000, nb::kw_only(), durable,
        budget, shared);
  }
  Binder b(cls);
  b.op("push", &Fifo::push,
       "Adds items (a list of bytes-like objects, copied) to the queue, atomically.  Raises "
       "QueueFullError, writing nothing, if they would exceed max_elements.",
       nb::arg("items").none(), no_gil());
  b.template waiting_op<&ResponseVariant::data, bytes_list>(
      "pop", &Fifo::pop,
      "Removes and returns up to max_elements of the oldest items: a list of bytes, oldest "
      "first ([] if the queue is empty).\n\n"
      "timeout: if the queue is empty, how many seconds to wait for an item (0, the default: "
      "not at all; None: until one is pushed or the queue is closed); then what there is is "
      "returned, perhaps [].  Waiting pops are served in the order they were made, each item "
      "to one of them; a waiting pop holds up no other operation.",
      nb::arg("max_elements").none() = 1, no_gil(), nb::arg("timeout").none() = 0.0);
  b.template op<&ResponseVariant::data, bytes_list>(
      "peek", &Fifo::peek, "The items pop(max_elements) would return, removing nothing.",
      nb::arg("max_elements").none() = 1, no_gil());
  b.template waiting_op<&fill_reservation, reservation_of>(
      "reserve", &Fifo::reserve,
      "Takes up to max_elements of the oldest unreserved items under a lease, for "
      "at-least-once delivery: they stay in the queue (counted by len, taking capacity, "
      "skipped by pop and peek) until ack(lease) removes them or release(lease) puts them back "
      "at the head.  A lease not acked within lease_seconds is released by itself, and every "
      "lease is released when the queue is reopened, so a consumer that dies loses nothing.\n\n"
      "Returns the items (.data), the lease id (.lease, None if nothing was reserved) and "
      "how many times these items have been reserved (.deliveries, 1 the first time; it "
      "survives restarts).  timeout: as pop's.",
      nb::arg("max_elements").none() = 1, nb::arg("lease_seconds").none() = 30.0, no_gil(),
      nb::arg("timeout").none() = 0.0);
  b.op("ack", &Fifo::ack,
       "Removes the items of a lease for good.  Raises LeaseError if the lease is not open "
       "(unknown, already acked or released, or expired).",
       nb::arg("lease").none(), no_gil());
  b.op("release", &Fifo::release,
       "Puts the items of a lease back at the head of the queue, in their order, ahead of "
       "every unreserved item.  Raises LeaseError as ack does.",
       nb::arg("lease").none(), no_gil());
  b.template prop<&ResponseVariant::len, int_of>("reserved", &Fifo::reserved,
                                                 "The number of items under a lease (.len).");
  b.template prop<&ResponseVariant::len, int_of>("len", &Fifo::len, "The number of items held, reserved or not (.len).");
  b.template prop<&ResponseVariant::size, int_of>("payload_size", &Fifo::payload_size,
                                          "Total bytes of the items held (.size).");
  b.template prop<&ResponseVariant::size, int_of>("disk_size", &Fifo::disk_size,
                                          "Bytes used by the queue's directory (.size).");
  if constexpr (Binder::kBlocking) {
    b.template prop<nullptr, bool_of>("is_empty", &Fifo::is_empty,
                                            "True if the queue holds no item.");
  }
  b.lifecycle("Completes pending operations and releases the queue.  Later calls raise "
              "QueueClosedError.  Idempotent.");
}

}  // namespace

void bind_fifo(nb::module_& nonblocking, nb::module_& blocking) {
  nb::class_<ResponseVariant>(nonblocking, "ResponseVariant",
                              "The result of a PersistentQueueWithCapacity operation.  "
                              "Created by the library only.")
      .def_ro("data", &ResponseVariant::data, "list[bytes] for pop, peek and reserve, else None.")
      .def_ro("len", &ResponseVariant::len, "int for len, else None.")
      .def_ro("size", &ResponseVariant::size, "int for payload_size and disk_size, else None.")
      .def_ro("lease", &ResponseVariant::lease,
              "int for reserve (None if it reserved nothing), else None.")
      .def_ro("deliveries", &ResponseVariant::deliveries, "int for reserve, else None.");
  bind_response<Response>(nonblocking, "Response", "ResponseVariant");
  bind<PyNonBlocking>(nonblocking);
  bind<PyBlocking>(blocking);
}

}  // namespace rocksq_py
