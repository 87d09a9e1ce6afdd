// The Python result objects of the two queues and the Response types that
// produce them.  Both variant types are built by the library only: a field
// holds the result of the operation that made it, the others are None.
#ifndef ROCKSQ_BINDINGS_VARIANTS_HPP_
#define ROCKSQ_BINDINGS_VARIANTS_HPP_

#include <optional>
#include <string>

#include <nanobind/nanobind.h>
#include <nanobind/stl/optional.h>

#include "convert.hpp"
#include "response.hpp"

namespace rocksq_py {

namespace nb = nanobind;

// Result of a PersistentQueueWithCapacity operation.
struct ResponseVariant {
  std::optional<BytesList> data;        // pop, peek, reserve
  std::optional<nb::int_> len;          // len, reserved
  std::optional<nb::int_> size;         // payload_size, disk_size
  std::optional<nb::int_> lease;        // reserve (None if nothing was reserved)
  std::optional<nb::int_> deliveries;   // reserve
};

// Fills a ResponseVariant with what a reserve() took.
inline void fill_reservation(ResponseVariant& v, const rocksq::Reservation& r) {
  v.data = bytes_list(r.items);
  if (r.lease != rocksq::kNoLease) v.lease = nb::int_(static_cast<std::uint64_t>(r.lease));
  v.deliveries = nb::int_(r.deliveries);
}

// Result of an MpmcQueue operation.
struct MpmcResponseVariant {
  std::optional<NextTuple> data;           // next
  std::optional<StrList> labels;           // labels
  std::optional<nb::int_> len;             // len
  std::optional<nb::bool_> removed_label;  // remove_label
  std::optional<nb::int_> size;            // disk_size, payload_size
};

struct Response {
  using Variant = ResponseVariant;
  ResponseCore core;
};
struct MpmcResponse {
  using Variant = MpmcResponseVariant;
  ResponseCore core;
};

// Binds a Response type (Response or MpmcResponse) whose get() returns
// `variant_name` objects.
template <typename R>
void bind_response(nb::module_& m, const char* name, const char* variant_name) {
  const std::string get_doc =
      std::string("Waits for the result and returns it as a ") + variant_name +
      ".\n\nThe GIL is released while waiting, and Ctrl-C interrupts the wait (the operation "
      "goes on: a later call returns its result).  Every call returns the same object.\n\n"
      "Parameters\n----------\ntimeout : float, optional\n    Seconds to wait at most; "
      "None (the default) waits until the result is ready.\n\n"
      "Returns\n-------\n" + variant_name + "\n    The operation's result.\n\n"
      "Raises\n------\n"
      "TimeoutError\n    If the result is not ready within timeout; the operation goes "
      "on and a later call returns its result.\n"
      "RuntimeError\n    If the operation failed (a rocksq.RocksqError subclass).";
  const std::string try_get_doc =
      std::string("Returns the result if it is ready, else None; never waits.\n\n"
                  "Returns\n-------\n") + variant_name + " or None\n\n"
      "Raises\n------\nRuntimeError\n    If the operation failed (a rocksq.RocksqError "
      "subclass).";
  nb::class_<R>(m, name,
                "The future-like result of one queue operation.  Returned by the queue's "
                "methods; there is no public constructor.\n\n"
                "Awaitable: ``await response`` returns what get() returns without blocking "
                "the event loop (no thread per await).  The operation runs whether or not "
                "anyone waits for it; cancelling an await leaves its result here.")
      .def("get",
           [](R& r, std::optional<double> timeout) {
             return nb::typed<nb::object, typename R::Variant>(r.core.get(timeout));
           },
           nb::arg("timeout") = nb::none(), get_doc.c_str())
      .def("try_get",
           [](R& r) {
             return nb::typed<nb::object, std::optional<typename R::Variant>>(r.core.try_get());
           },
           try_get_doc.c_str())
      // For rocksq._asyncio: a lone await waits here briefly (spinning, the
      // CPU yielded, GIL held: the worker never needs it) before suspending.
      .def("_ready_soon", [](R& r) { return r.core.ready_soon(); })
      // Replaced by rocksq._asyncio when rocksq is imported; here for its signature.
      .def("__await__",
           [](nb::handle self) {
             return nb::module_::import_("rocksq._asyncio").attr("response_await")(self);
           },
           nb::sig((std::string("def __await__(self, /) -> collections.abc.Generator[typing.Any, "
                                "None, ") + variant_name + "]").c_str()),
           "Awaits the result without blocking the event loop (see rocksq._asyncio).")
      .def_prop_ro("is_ready", [](R& r) { return r.core.is_ready(); },
                   "True once the result (or the error) is available.");
}

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_VARIANTS_HPP_
