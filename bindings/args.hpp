// Typed arguments of the queue operations.  Each is a Python object that
// nanobind hands over as it is (so that a wrong type gets rocksq's message,
// which names the argument, rather than nanobind's generic one) under the
// Python type the stubs show; value() converts it, with the GIL held, or
// raises TypeError/ValueError/OverflowError naming the argument.
#ifndef ROCKSQ_BINDINGS_ARGS_HPP_
#define ROCKSQ_BINDINGS_ARGS_HPP_

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <nanobind/nanobind.h>

#include "convert.hpp"
#include "rocksq/start_position.hpp"

namespace rocksq_py {

namespace nb = nanobind;

struct ArgBase {
  nb::handle object;  // borrowed: the call's argument
};

struct ItemsArg : ArgBase {
  std::vector<std::string> value() const { return items_from_python(object, "items"); }
};
struct MaxElementsArg : ArgBase {
  std::size_t value() const { return count_from_python(object, "max_elements"); }
};
struct LabelArg : ArgBase {
  std::string value() const { return label_from_python(object, "label"); }
};
struct StartPositionArg : ArgBase {
  rocksq::StartPosition value() const { return start_position_from_python(object); }
};
// Seconds a read waits for data: 0 not at all, None until data or close.
struct TimeoutArg : ArgBase {
  std::chrono::nanoseconds value() const { return timeout_from_python(object); }
};

inline constexpr const char* kPathType = "str | os.PathLike[str]";

// Seconds a lease lasts.
struct LeaseSecondsArg : ArgBase {
  std::chrono::milliseconds value() const { return lease_duration_from_python(object); }
};
struct LeaseArg : ArgBase {
  rocksq::LeaseId value() const { return lease_from_python(object); }
};

// Whether a read commits: True or False only (any other object is more
// likely a mistake than a truth value).
struct CommitArg : ArgBase {
  bool value() const { return flag_from_python(object, "commit"); }
};

// Arguments converted by the caller, which names them: an int, a path.
struct IntArg : ArgBase {};
struct PathArg : ArgBase {};

// PyArg<T>: the argument type of a C++ operation parameter of type T.
template <typename T>
struct PyArgOf;
template <>
struct PyArgOf<std::vector<std::string>> {
  using type = ItemsArg;
};
template <>
struct PyArgOf<std::size_t> {
  using type = MaxElementsArg;
};
template <>
struct PyArgOf<std::string> {
  using type = LabelArg;
};
template <>
struct PyArgOf<rocksq::StartPosition> {
  using type = StartPositionArg;
};
template <>
struct PyArgOf<std::chrono::nanoseconds> {
  using type = TimeoutArg;
};
template <>
struct PyArgOf<std::chrono::milliseconds> {
  using type = LeaseSecondsArg;
};
template <>
struct PyArgOf<bool> {
  using type = CommitArg;
};
template <>
struct PyArgOf<rocksq::LeaseId> {
  using type = LeaseArg;
};
template <typename T>
using PyArg = typename PyArgOf<T>::type;

}  // namespace rocksq_py

namespace nanobind {
namespace detail {

// Takes any object: value() checks it.
template <typename Arg, typename ArgName>
struct arg_caster {
  NB_TYPE_CASTER(Arg, ArgName::name)
  bool from_python(handle src, uint32_t, cleanup_list*) noexcept {
    value.object = src;
    return true;
  }
  static handle from_cpp(const Arg& arg, rv_policy, cleanup_list*) noexcept {
    return arg.object.inc_ref();
  }
};

struct items_name {
  static constexpr auto name = const_name("collections.abc.Sequence[bytes | bytearray | memoryview]");
};
struct int_name {
  static constexpr auto name = const_name("int");
};
struct str_name {
  static constexpr auto name = const_name("str");
};
struct path_name {
  static constexpr auto name = const_name("str | os.PathLike[str]");
};
struct timeout_name {
  static constexpr auto name = const_name("float | None");
};
struct bool_name {
  static constexpr auto name = const_name("bool");
};
struct float_name {
  static constexpr auto name = const_name("float");
};
struct start_position_name {
  static constexpr auto name = const_name("rocksq._rocksq.StartPosition");
};

template <>
struct type_caster<rocksq_py::ItemsArg> : arg_caster<rocksq_py::ItemsArg, items_name> {};
template <>
struct type_caster<rocksq_py::MaxElementsArg> : arg_caster<rocksq_py::MaxElementsArg, int_name> {};
template <>
struct type_caster<rocksq_py::LabelArg> : arg_caster<rocksq_py::LabelArg, str_name> {};
template <>
struct type_caster<rocksq_py::TimeoutArg> : arg_caster<rocksq_py::TimeoutArg, timeout_name> {};
template <>
struct type_caster<rocksq_py::LeaseSecondsArg>
    : arg_caster<rocksq_py::LeaseSecondsArg, float_name> {};
template <>
struct type_caster<rocksq_py::CommitArg> : arg_caster<rocksq_py::CommitArg, bool_name> {};
template <>
struct type_caster<rocksq_py::LeaseArg> : arg_caster<rocksq_py::LeaseArg, int_name> {};
template <>
struct type_caster<rocksq_py::IntArg> : arg_caster<rocksq_py::IntArg, int_name> {};
template <>
struct type_caster<rocksq_py::PathArg> : arg_caster<rocksq_py::PathArg, path_name> {};
template <>
struct type_caster<rocksq_py::StartPositionArg>
    : arg_caster<rocksq_py::StartPositionArg, start_position_name> {};

}  // namespace detail
}  // namespace nanobind

#endif  // ROCKSQ_BINDINGS_ARGS_HPP_
