// The extension module rocksq._rocksq; the rocksq package re-exports it.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "bindings.hpp"
#include "rocksq/remove.hpp"
#include "rocksq/start_position.hpp"
#include "rocksq/version.hpp"
#include "convert.hpp"

namespace nb = nanobind;

NB_MODULE(_rocksq, m) {
  m.doc() = "rocksq's compiled core; import rocksq instead.";
  rocksq_py::bind_errors(m);
  rocksq_py::bind_async_signal(m);

  nb::enum_<rocksq::StartPosition>(m, "StartPosition",
                                   "Where a new MpmcQueue consumer label starts reading.")
      .value("Oldest", rocksq::StartPosition::Oldest, "The oldest element still held.")
      .value("Newest", rocksq::StartPosition::Newest,
             "The newest element already added (on an empty queue, the next one added).");

  m.def("version", &rocksq::version, "The library's version string.");
  m.def("remove_queue",
        [](nb::handle path) {
          const std::string p = rocksq_py::path_from_python(path, "path");
          nb::gil_scoped_release release;
          rocksq::remove_queue(p);
        },
        nb::arg("path"),
        "Deletes the files of the closed PersistentQueueWithCapacity at path.\n\n"
        "Does nothing if path does not exist.\n\nRaises\n------\nAlreadyOpenError\n"
        "    If the queue is open.");
  m.def("remove_mpmc_queue",
        [](nb::handle path) {
          const std::string p = rocksq_py::path_from_python(path, "path");
          nb::gil_scoped_release release;
          rocksq::remove_mpmc_queue(p);
        },
        nb::arg("path"),
        "Deletes the files of the closed MpmcQueue at path.\n\n"
        "Does nothing if path does not exist.\n\nRaises\n------\nAlreadyOpenError\n"
        "    If the queue is open.");

  nb::module_ nonblocking = m.def_submodule("nonblocking", "Queues whose methods return futures.");
  nb::module_ blocking = m.def_submodule("blocking", "Queues whose methods block.");
  rocksq_py::bind_fifo(nonblocking, blocking);
  rocksq_py::bind_mpmc(nonblocking, blocking);
  rocksq_py::bind_inspect(m);
}
