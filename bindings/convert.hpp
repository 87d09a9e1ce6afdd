// Argument conversion shared by the bindings: Python objects in, C++ values
// out, with errors that name the argument.  Runs with the GIL held.
#ifndef ROCKSQ_BINDINGS_CONVERT_HPP_
#define ROCKSQ_BINDINGS_CONVERT_HPP_

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <nanobind/nanobind.h>

#include "rocksq/lease.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "rocksq/options.hpp"
#include "rocksq/start_position.hpp"

namespace rocksq_py {

namespace nb = nanobind;

// Copies a list (or tuple) of bytes-like objects into C++ strings.  Raises
// TypeError for any other container or item.
std::vector<std::string> items_from_python(nb::handle items, const char* argument);

// A non-negative int that fits size_t: TypeError, ValueError or OverflowError
// otherwise.
std::size_t count_from_python(nb::handle value, const char* argument);

// max_inflight_ops: a count of at least 1 (ValueError for 0).
std::size_t inflight_from_python(nb::handle value);

// Options from the keywords every queue takes.
rocksq::Options options_from(bool durable, nb::handle memory_cache_bytes, bool shared);
// The default of the memory_cache_bytes keyword: the C++ default.
inline const std::size_t kDefaultMemoryCacheBytes = rocksq::Options().memory_cache_bytes;

// A filesystem path: str or os.PathLike of str; TypeError otherwise.
std::string path_from_python(nb::handle value, const char* argument);

// A str label: TypeError otherwise.
std::string label_from_python(nb::handle value, const char* argument);

// A whole number of seconds, 0 < ttl <= kMaxTtlSeconds.
std::chrono::seconds ttl_from_python(nb::handle value);

// A timeout in seconds (int or float, >= 0), or None for kWaitForever.
std::chrono::nanoseconds timeout_from_python(nb::handle value);

// How long a lease lasts, in seconds (int or float, > 0, finite), rounded
// up to milliseconds.
std::chrono::milliseconds lease_duration_from_python(nb::handle value);

// True or False: TypeError for anything else.
bool flag_from_python(nb::handle value, const char* argument);

// A lease id (a non-negative int).
rocksq::LeaseId lease_from_python(nb::handle value);

// A rocksq.StartPosition: TypeError otherwise.
rocksq::StartPosition start_position_from_python(nb::handle value);

// Raises type(message) as a Python exception.
[[noreturn]] void raise(PyObject* type, const std::string& message);

// Results, as the stubs type them.
using BytesList = nb::typed<nb::list, nb::bytes>;
using StrList = nb::typed<nb::list, nb::str>;
using NextTuple = nb::typed<nb::tuple, BytesList, nb::bool_>;
// A list of bytes objects holding items.
BytesList bytes_list(const std::vector<std::string>& items);
// A list of str (labels, decoded as UTF-8 with surrogateescape).
StrList str_list(const std::vector<std::string>& strings);
// (items, expired) of an MPMC next().
NextTuple next_tuple(const rocksq::NextResult& read);
inline nb::int_ int_of(std::uint64_t n) { return nb::int_(n); }

// rocksq.Reservation: what a reserve() took.
struct PyReservation {
  BytesList data;
  nb::object lease;  // int, or None if nothing was reserved
  nb::int_ deliveries;
};
PyReservation reservation_of(const rocksq::Reservation& r);
inline nb::bool_ bool_of(bool b) { return nb::bool_(b); }

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_CONVERT_HPP_
