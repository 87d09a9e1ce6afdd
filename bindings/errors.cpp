// C++ errors become Python exceptions of the rocksq module, all subclasses of
// RuntimeError through rocksq.RocksqError.
#include <Python.h>

#include "bindings.hpp"
#include "rocksq/error.hpp"

namespace rocksq_py {

namespace {

PyObject* g_error = nullptr;
PyObject* g_queue_full = nullptr;
PyObject* g_closed = nullptr;
PyObject* g_already_open = nullptr;
PyObject* g_corruption = nullptr;

PyObject* new_exception(nb::module_& m, const char* name, PyObject* base, const char* doc) {
  const std::string qualified = std::string("rocksq.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base, nullptr);
  if (type == nullptr) throw nb::python_error();
  m.attr(name) = nb::borrow(type);  // the module keeps it alive
  return type;
}

}  // namespace

void bind_errors(nb::module_& m) {
  g_error = new_exception(m, "RocksqError", PyExc_RuntimeError,
                          "Base class of rocksq's errors (a RuntimeError).");
  g_queue_full = new_exception(m, "QueueFullError", g_error,
                               "A push would exceed the queue's max_elements; nothing was written.");
  g_closed = new_exception(m, "QueueClosedError", g_error,
                           "The queue was closed (or used in a forked child).");
  g_already_open = new_exception(m, "AlreadyOpenError", g_error,
                                 "The queue is already open, in this process or another one.");
  g_corruption = new_exception(m, "CorruptionError", g_error,
                               "The stored data failed a consistency check.");
  nb::register_exception_translator([](const std::exception_ptr& p, void*) {
    try {
      std::rethrow_exception(p);
    } catch (const rocksq::QueueFullError& e) {
      PyErr_SetString(g_queue_full, e.what());
    } catch (const rocksq::ClosedError& e) {
      PyErr_SetString(g_closed, e.what());
    } catch (const rocksq::AlreadyOpenError& e) {
      PyErr_SetString(g_already_open, e.what());
    } catch (const rocksq::CorruptionError& e) {
      PyErr_SetString(g_corruption, e.what());
    } catch (const rocksq::Error& e) {
      PyErr_SetString(g_error, e.what());
    }
  });
}

}  // namespace rocksq_py
