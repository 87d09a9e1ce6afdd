// C++ errors become Python exceptions of the rocksq module, all subclasses of
// RuntimeError through rocksq.RocksqError.
#include <Python.h>

#include "bindings.hpp"
#include "errors.hpp"
#include "rocksq/error.hpp"

namespace rocksq_py {

namespace {

PyObject* g_error = nullptr;
PyObject* g_queue_full = nullptr;
PyObject* g_closed = nullptr;
PyObject* g_already_open = nullptr;
PyObject* g_corruption = nullptr;
PyObject* g_disk_full = nullptr;
PyObject* g_owner_lost = nullptr;
PyObject* g_interrupted = nullptr;
PyObject* g_lease = nullptr;

PyObject* new_exception(nb::module_& m, const char* name, PyObject* base, const char* doc) {
  // Defined here, shown as rocksq.<name> (rocksq/__init__.py re-homes them).
  const std::string qualified = std::string("rocksq._rocksq.") + name;
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
  g_lease = new_exception(m, "LeaseError", g_error,
                          "ack or release named a lease that is not open: unknown, already "
                          "acked or released, or expired.  Nothing was changed.");
  g_disk_full = new_exception(
      m, "DiskFullError", g_error,
      "The disk holding the queue is full; nothing of the operation was written.  Pops and "
      "reads go on (a headroom is kept for them) and pushes succeed again by themselves "
      "once there is room.");
  g_owner_lost = new_exception(
      m, "OwnerLostError", g_error,
      "The process that owned a shared queue (shared=True) ended while this operation was "
      "pending: it may or may not have taken effect.  The queue goes on, owned by another "
      "process; later operations work as before.");
  g_interrupted = new_exception(
      m, "OperationInterrupted", PyExc_KeyboardInterrupt,
      "Ctrl-C (a KeyboardInterrupt) arrived while a blocking call waited for its operation, "
      "which had been submitted and goes on: its Response (.response) gives the result.  "
      "A call interrupted while it waited for room (max_inflight_ops) submitted nothing "
      "and raises a plain KeyboardInterrupt.");
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
    } catch (const rocksq::LeaseError& e) {
      PyErr_SetString(g_lease, e.what());
    } catch (const rocksq::DiskFullError& e) {
      PyErr_SetString(g_disk_full, e.what());
    } catch (const rocksq::OwnerLostError& e) {
      PyErr_SetString(g_owner_lost, e.what());
    } catch (const rocksq::Error& e) {
      PyErr_SetString(g_error, e.what());
    }
  });
}

void raise_interrupted(nb::python_error& e, nb::object response) {
  if (!e.matches(PyExc_KeyboardInterrupt)) {
    // Whatever a signal handler raised: the result stays reachable.
    if (PyObject_SetAttrString(e.value().ptr(), "response", response.ptr()) != 0) PyErr_Clear();
    throw;
  }
  nb::object exc = nb::steal(PyObject_CallFunction(
      g_interrupted, "s",
      "interrupted while waiting for the result; the operation was submitted and goes on: "
      ".response gives its result"));
  if (!exc.is_valid()) throw nb::python_error();
  exc.attr("response") = response;
  e.restore();  // becomes the context of the new exception
  PyObject* type = nullptr;
  PyObject* value = nullptr;
  PyObject* traceback = nullptr;
  PyErr_Fetch(&type, &value, &traceback);
  PyErr_NormalizeException(&type, &value, &traceback);
  PyException_SetContext(exc.ptr(), value);  // steals value
  Py_XDECREF(type);
  Py_XDECREF(traceback);
  PyErr_SetObject(g_interrupted, exc.ptr());
  throw nb::python_error();
}

}  // namespace rocksq_py
