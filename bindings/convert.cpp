#include "convert.hpp"

#include <cmath>
#include <Python.h>

namespace rocksq_py {

void raise(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw nb::python_error();
}

namespace {

std::string python_type_name(nb::handle h) { return nb::type_name(h.type()).c_str(); }

void append_bytes_like(nb::handle item, std::vector<std::string>* out, const char* argument,
                       Py_ssize_t index) {
  PyObject* obj = item.ptr();
  if (PyBytes_Check(obj)) {
    out->emplace_back(PyBytes_AS_STRING(obj), static_cast<std::size_t>(PyBytes_GET_SIZE(obj)));
    return;
  }
  if (PyByteArray_Check(obj)) {
    out->emplace_back(PyByteArray_AS_STRING(obj),
                      static_cast<std::size_t>(PyByteArray_GET_SIZE(obj)));
    return;
  }
  if (!PyUnicode_Check(obj) && PyObject_CheckBuffer(obj)) {
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) == 0) {
      out->emplace_back(static_cast<const char*>(view.buf), static_cast<std::size_t>(view.len));
      PyBuffer_Release(&view);
      return;
    }
    PyErr_Clear();
    raise(PyExc_TypeError, std::string(argument) + "[" + std::to_string(index) +
                               "] must be a contiguous bytes-like object, got a non-contiguous " +
                               python_type_name(item));
  }
  raise(PyExc_TypeError, std::string(argument) + "[" + std::to_string(index) +
                             "] must be a bytes-like object (bytes, bytearray, memoryview), got " +
                             python_type_name(item));
}

}  // namespace

std::vector<std::string> items_from_python(nb::handle items, const char* argument) {
  PyObject* obj = items.ptr();
  if (!PyList_Check(obj) && !PyTuple_Check(obj)) {
    raise(PyExc_TypeError, std::string(argument) +
                               " must be a list of bytes-like objects, got " + python_type_name(items));
  }
  std::vector<std::string> out;
  out.reserve(static_cast<std::size_t>(PySequence_Fast_GET_SIZE(obj)));
  // The size is read again each time: a buffer exporter written in Python
  // could shrink the list while we copy.
  for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(obj); ++i) {
    const nb::object item = nb::borrow(PySequence_Fast_GET_ITEM(obj, i));
    append_bytes_like(item, &out, argument, i);
  }
  return out;
}

std::size_t count_from_python(nb::handle value, const char* argument) {
  PyObject* obj = value.ptr();
  if (!PyLong_Check(obj)) {
    raise(PyExc_TypeError,
          std::string(argument) + " must be an int, got " + python_type_name(value));
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
  if (overflow < 0 || (overflow == 0 && v < 0)) {
    raise(PyExc_ValueError, std::string(argument) + " must be >= 0, got " +
                                nb::str(value).c_str());
  }
  if (overflow > 0) {
    const unsigned long long u = PyLong_AsUnsignedLongLong(obj);
    if (u == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
      PyErr_Clear();
      raise(PyExc_OverflowError, std::string(argument) + " is too large: " +
                                     nb::str(value).c_str());
    }
    return static_cast<std::size_t>(u);
  }
  return static_cast<std::size_t>(v);
}

std::size_t inflight_from_python(nb::handle value) {
  const std::size_t n = count_from_python(value, "max_inflight_ops");
  if (n == 0) raise(PyExc_ValueError, "max_inflight_ops must be >= 1, got 0");
  return n;
}

rocksq::Options options_from(bool durable, nb::handle memory_cache_bytes, bool shared) {
  rocksq::Options options;
  options.durable = durable;
  options.shared = shared;
  options.memory_cache_bytes = count_from_python(memory_cache_bytes, "memory_cache_bytes");
  return options;
}

std::string path_from_python(nb::handle value, const char* argument) {
  if (!PyUnicode_Check(value.ptr())) {
    nb::object fspath = nb::steal(PyOS_FSPath(value.ptr()));
    if (!fspath.is_valid() || !PyUnicode_Check(fspath.ptr())) {
      PyErr_Clear();
      raise(PyExc_TypeError, std::string(argument) + " must be a str or os.PathLike[str], got " +
                                 python_type_name(value));
    }
    return label_from_python(fspath, argument);
  }
  return label_from_python(value, argument);
}

std::string label_from_python(nb::handle value, const char* argument) {
  if (!PyUnicode_Check(value.ptr())) {
    raise(PyExc_TypeError, std::string(argument) + " must be a str, got " + python_type_name(value));
  }
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(value.ptr(), &size);
  if (data == nullptr) throw nb::python_error();
  return std::string(data, static_cast<std::size_t>(size));
}

std::chrono::seconds ttl_from_python(nb::handle value) {
  PyObject* obj = value.ptr();
  if (!PyLong_Check(obj)) {
    raise(PyExc_TypeError, "ttl must be an int (seconds), got " + python_type_name(value));
  }
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
  if (overflow < 0 || (overflow == 0 && v <= 0)) {
    raise(PyExc_ValueError,
          std::string("ttl must be a positive number of seconds, got ") + nb::str(value).c_str());
  }
  if (overflow > 0 || v > rocksq::kMaxTtlSeconds) {
    raise(PyExc_OverflowError, "ttl is too large: " + std::string(nb::str(value).c_str()) +
                                   " (at most " + std::to_string(rocksq::kMaxTtlSeconds) +
                                   " seconds)");
  }
  return std::chrono::seconds(v);
}

std::chrono::nanoseconds timeout_from_python(nb::handle value) {
  if (value.is_none()) return rocksq::kWaitForever;
  PyObject* obj = value.ptr();
  if (PyBool_Check(obj) || (!PyFloat_Check(obj) && !PyLong_Check(obj))) {
    raise(PyExc_TypeError,
          "timeout must be a number of seconds or None, got " + python_type_name(value));
  }
  const double seconds = PyFloat_AsDouble(obj);
  if (seconds == -1.0 && PyErr_Occurred()) throw nb::python_error();
  if (!(seconds >= 0)) {  // negative or NaN
    raise(PyExc_ValueError,
          std::string("timeout must be >= 0 or None, got ") + nb::str(value).c_str());
  }
  // Beyond a century: as good as forever.
  if (seconds > 3e9) return rocksq::kWaitForever;
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(seconds));
}

std::chrono::milliseconds lease_duration_from_python(nb::handle value) {
  PyObject* obj = value.ptr();
  if (PyBool_Check(obj) || (!PyFloat_Check(obj) && !PyLong_Check(obj))) {
    raise(PyExc_TypeError,
          "lease_seconds must be a number of seconds, got " + python_type_name(value));
  }
  const double seconds = PyFloat_AsDouble(obj);
  if (seconds == -1.0 && PyErr_Occurred()) throw nb::python_error();
  if (!(seconds > 0) || !std::isfinite(seconds)) {  // also NaN
    raise(PyExc_ValueError,
          std::string("lease_seconds must be > 0 and finite, got ") + nb::str(value).c_str());
  }
  // Beyond a century: as good as forever.
  const double ms = std::ceil(std::min(seconds, 3e9) * 1000.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(ms));
}

bool flag_from_python(nb::handle value, const char* argument) {
  if (!PyBool_Check(value.ptr())) {
    raise(PyExc_TypeError,
          std::string(argument) + " must be True or False, got " + python_type_name(value));
  }
  return value.ptr() == Py_True;
}

rocksq::LeaseId lease_from_python(nb::handle value) {
  return rocksq::LeaseId{count_from_python(value, "lease")};
}

PyReservation reservation_of(const rocksq::Reservation& r) {
  nb::object lease = nb::none();
  if (r.lease != rocksq::kNoLease) lease = nb::int_(static_cast<std::uint64_t>(r.lease));
  return PyReservation{bytes_list(r.items), std::move(lease), nb::int_(r.deliveries)};
}

rocksq::StartPosition start_position_from_python(nb::handle value) {
  if (!nb::isinstance<rocksq::StartPosition>(value)) {
    raise(PyExc_TypeError,
          "start_position must be a rocksq.StartPosition, got " + python_type_name(value));
  }
  return nb::cast<rocksq::StartPosition>(value);
}

StrList str_list(const std::vector<std::string>& strings) {
  nb::list list;
  for (const auto& s : strings) {
    PyObject* str =
        PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape");
    if (str == nullptr) throw nb::python_error();
    list.append(nb::steal(str));
  }
  return StrList(std::move(list));
}

NextTuple next_tuple(const rocksq::NextResult& read) {
  return NextTuple(nb::make_tuple(bytes_list(read.items), nb::bool_(read.expired)));
}

BytesList bytes_list(const std::vector<std::string>& items) {
  PyObject* list = PyList_New(static_cast<Py_ssize_t>(items.size()));
  if (list == nullptr) throw nb::python_error();
  BytesList result = nb::steal<nb::list>(list);
  for (std::size_t i = 0; i < items.size(); ++i) {
    PyObject* b = PyBytes_FromStringAndSize(items[i].data(),
                                            static_cast<Py_ssize_t>(items[i].size()));
    if (b == nullptr) throw nb::python_error();
    PyList_SET_ITEM(list, static_cast<Py_ssize_t>(i), b);
  }
  return result;
}

}  // namespace rocksq_py
