// Entry points of the binding files, called by module.cpp.
#ifndef ROCKSQ_BINDINGS_BINDINGS_HPP_
#define ROCKSQ_BINDINGS_BINDINGS_HPP_

#include <nanobind/nanobind.h>

namespace rocksq_py {

namespace nb = nanobind;

void bind_errors(nb::module_& m);
void bind_async_signal(nb::module_& m);
void bind_fifo(nb::module_& nonblocking, nb::module_& blocking);
void bind_inspect(nb::module_& m);
void bind_mpmc(nb::module_& nonblocking, nb::module_& blocking);

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_BINDINGS_HPP_
