// Python exceptions of rocksq beyond the translated C++ errors.
#ifndef ROCKSQ_BINDINGS_ERRORS_HPP_
#define ROCKSQ_BINDINGS_ERRORS_HPP_

#include <nanobind/nanobind.h>

namespace rocksq_py {

namespace nb = nanobind;

// A blocking call was interrupted (e) after its operation was submitted:
// raises rocksq.OperationInterrupted (a KeyboardInterrupt) carrying response
// if e is a KeyboardInterrupt; otherwise sets e's `response` attribute and
// raises e again.
[[noreturn]] void raise_interrupted(nb::python_error& e, nb::object response);

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_ERRORS_HPP_
