// Argument conversion shared by the bindings: Python objects in, C++ values
// out, with errors that name the argument.  Runs with the GIL held.
#ifndef ROCKSQ_BINDINGS_CONVERT_HPP_
#define ROCKSQ_BINDINGS_CONVERT_HPP_

#include <cstddef>
#include <string>
#include <vector>

#include <nanobind/nanobind.h>

namespace rocksq_py {

namespace nb = nanobind;

// Copies a list (or tuple) of bytes-like objects into C++ strings.  Raises
// TypeError for any other container or item.
std::vector<std::string> items_from_python(nb::handle items, const char* argument);

// A non-negative int that fits size_t: TypeError, ValueError or OverflowError
// otherwise.
std::size_t count_from_python(nb::handle value, const char* argument);

// A filesystem path: str or os.PathLike of str; TypeError otherwise.
std::string path_from_python(nb::handle value, const char* argument);

// A str label: TypeError otherwise.
std::string label_from_python(nb::handle value, const char* argument);

// A list of bytes objects holding items.
nb::list bytes_list(const std::vector<std::string>& items);

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_CONVERT_HPP_
