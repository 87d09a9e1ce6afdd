// rocksq._rocksq._inspect and _peek: read-only inspection (rocksq/inspect.hpp)
// for the rocksq command line tool.
#include <string>
#include <vector>

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "bindings.hpp"
#include "convert.hpp"
#include "rocksq/inspect.hpp"

namespace rocksq_py {

void bind_inspect(nb::module_& m) {
  m.def(
      "_inspect",
      [](nb::handle path) {
        const std::string p = path_from_python(path, "path");
        rocksq::QueueInfo info;
        {
          nb::gil_scoped_release release;
          info = rocksq::inspect(p);
        }
        nb::dict d;
        d["kind"] = info.kind;
        d["len"] = nb::int_(info.len);
        d["payload_size"] = nb::int_(info.payload_size);
        d["disk_size"] = nb::int_(info.disk_size);
        if (info.kind == "mpmc") {
          d["ttl"] = info.ttl ? nb::object(nb::int_(info.ttl->count())) : nb::none();
          d["oldest_age"] = info.oldest_age
                                ? nb::object(nb::float_(static_cast<double>(info.oldest_age->count()) / 1000))
                                : nb::none();
          nb::dict labels;
          for (const auto& label : info.labels) labels[nb::str(label.label.c_str())] = nb::int_(label.lag);
          d["labels"] = labels;
        }
        return d;
      },
      nb::arg("path"),
      "Describes the queue at path without opening it for writing: a dict with kind, len,\n"
      "payload_size, disk_size and, for an MPMC log, ttl (seconds or None), oldest_age\n"
      "(seconds or None) and labels ({label: lag}).");
  m.def(
      "_peek",
      [](nb::handle path, nb::handle max_items, nb::handle label) {
        const std::string p = path_from_python(path, "path");
        const std::size_t n = count_from_python(max_items, "max_items");
        const std::string l = label.is_none() ? std::string() : label_from_python(label, "label");
        std::vector<std::string> items;
        {
          nb::gil_scoped_release release;
          items = rocksq::peek(p, n, l);
        }
        return bytes_list(items);
      },
      nb::arg("path"), nb::arg("max_items") = 10, nb::arg("label") = nb::none(),
      "The next max_items items of the queue at path (for an MPMC log, those label reads\n"
      "next), without removing them.");
}

}  // namespace rocksq_py
