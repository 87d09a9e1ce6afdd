// The extension module rocksq._rocksq; the rocksq package re-exports it.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "bindings.hpp"
#include "gil.hpp"
#include "rocksq/remove.hpp"
#include "rocksq/start_position.hpp"
#include "rocksq/version.hpp"
#include "args.hpp"
#include "convert.hpp"
#include "ops.hpp"

namespace nb = nanobind;

namespace rocksq_py {

void bind_hold(nb::module_& m) {
  nb::class_<PyHold>(m, "_Hold", "See the queues' _hold().")
      .def("__enter__", [](nb::handle self) { return nb::borrow(self); })
      .def("__exit__", [](PyHold& h, nb::args) { h.hold.reset(); });
}

}  // namespace rocksq_py

NB_MODULE(_rocksq, m) {
  m.doc() = "rocksq's compiled core; import rocksq instead.";
  rocksq_py::bind_errors(m);
  rocksq_py::park_threads_at_exit();
  rocksq_py::bind_async_signal(m);
  rocksq_py::bind_hold(m);

  nb::enum_<rocksq::StartPosition>(m, "StartPosition",
                                   "Where a new MpmcQueue consumer label starts reading.")
      .value("Oldest", rocksq::StartPosition::Oldest, "The oldest element still held.")
      .value("Newest", rocksq::StartPosition::Newest,
             "The newest element already added (on an empty queue, the next one added).");

  nb::class_<rocksq_py::PyReservation>(
      m, "Reservation",
      "What a blocking PersistentQueueWithCapacity.reserve() took.  Made by the library: "
      "there is no public constructor.")
      .def_ro("data", &rocksq_py::PyReservation::data, "The items, oldest first.")
      .def_prop_ro(
          "lease", [](const rocksq_py::PyReservation& r) { return r.lease; },
          nb::sig("def lease(self) -> int | None"),
          "The lease id, for ack() and release(); None if nothing was reserved.")
      .def_ro("deliveries", &rocksq_py::PyReservation::deliveries,
              "How many times these items have been reserved, this time included (0 if "
              "nothing was reserved).")
      .def("__repr__", [](const rocksq_py::PyReservation& r) {
        return nb::str("Reservation(data={}, lease={}, deliveries={})")
            .format(r.data, r.lease, r.deliveries);
      });

  m.def("version", &rocksq::version, "The library's version string.");
  m.def("remove_queue",
        [](rocksq_py::PathArg path) {
          const std::string p = rocksq_py::path_from_python(path.object, "path");
          rocksq_py::GilRelease release;
          rocksq::remove_queue(p);
        },
        nb::arg("path").none(),
        nb::sig(rocksq_py::signature<false>("remove_queue", {rocksq_py::kPathType}, "None",
                                            nb::arg("path"))),
        "Deletes the files of the closed PersistentQueueWithCapacity at path.\n\n"
        "Does nothing if path does not exist.\n\nRaises\n------\nAlreadyOpenError\n"
        "    If the queue is open.");
  m.def("remove_mpmc_queue",
        [](rocksq_py::PathArg path) {
          const std::string p = rocksq_py::path_from_python(path.object, "path");
          rocksq_py::GilRelease release;
          rocksq::remove_mpmc_queue(p);
        },
        nb::arg("path").none(),
        nb::sig(rocksq_py::signature<false>("remove_mpmc_queue", {rocksq_py::kPathType}, "None",
                                            nb::arg("path"))),
        "Deletes the files of the closed MpmcQueue at path.\n\n"
        "Does nothing if path does not exist.\n\nRaises\n------\nAlreadyOpenError\n"
        "    If the queue is open.");

  nb::module_ nonblocking = m.def_submodule("nonblocking", "Queues whose methods return futures.");
  nb::module_ blocking = m.def_submodule("blocking", "Queues whose methods block.");
  rocksq_py::bind_fifo(nonblocking, blocking);
  rocksq_py::bind_mpmc(nonblocking, blocking);
  rocksq_py::bind_inspect(m);
}
