// QueueBinder: binds a queue's operations once for both Python flavours.
//
// Both Python classes of a queue (rocksq.nonblocking.X and rocksq.blocking.X)
// wrap the C++ non-blocking queue: an operation submits and gets a Future;
// the non-blocking flavour returns it as a Response, the blocking one waits
// for it (interruptibly) and returns the converted result.  A binding line
// names the C++ method, where the result goes in the Response's variant (a
// field, or a function that fills the variant) and how it converts for the
// blocking flavour:
//
//   b.op<&ResponseVariant::data, bytes_list>("pop", &Fifo::pop, doc,
//                                             nb::arg("max_elements") = 1, no_gil());
//
// Arguments arrive typed (args.hpp) and are converted in order before the
// call.  A call that must wait for room (max_inflight_ops) waits with the
// GIL released, interruptibly; an interrupted wait submits nothing.  A
// blocking call interrupted while its operation runs raises
// rocksq.OperationInterrupted (a KeyboardInterrupt) whose .response is that
// operation's Response: its result is not lost.
#ifndef ROCKSQ_BINDINGS_OPS_HPP_
#define ROCKSQ_BINDINGS_OPS_HPP_

#include <chrono>
#include <cstddef>
#include <deque>
#include <initializer_list>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <nanobind/nanobind.h>

#include "args.hpp"
#include "async_signal.hpp"
#include "errors.hpp"
#include "gil.hpp"
#include "rocksq/future.hpp"
#include "rocksq/queue_control.hpp"
#include "variants.hpp"
#include "wait.hpp"

namespace rocksq_py {

namespace nb = nanobind;

struct PyNonBlocking {};
struct PyBlocking {};

// The object behind a Python queue of either flavour.
template <typename Flavour, typename Queue>
struct PyQueue {
  std::unique_ptr<Queue> queue;
};

// rocksq._rocksq._Hold: QueueControl::Hold as a context manager (tests).
struct PyHold {
  std::unique_ptr<rocksq::QueueControl::Hold> hold;
};

// The last parameter of the methods that take arguments, as in rocksq 0.3.0.
inline nb::arg_v no_gil() { return nb::arg("no_gil") = true; }

// Docstrings and signatures live as long as the module.
inline const char* keep(std::string text) {
  static std::deque<std::string> texts;
  return texts.emplace_back(std::move(text)).c_str();
}

// The signature the stubs show: "def name(self, a: T = default, ...) -> R",
// types[i] being the Python type of the i-th nb::arg of extra.  Written out
// because an argument that lets None through to rocksq's own check (.none(),
// so that the error names the argument) would otherwise read "T | None".
template <bool IsMethod = true, typename... Extra>
const char* signature(const char* name, std::initializer_list<const char*> types,
                      const std::string& returns, const Extra&... extra) {
  std::string params = IsMethod ? "self" : "";
  auto type = types.begin();
  const auto add = [&](const auto& e) {
    using E = std::decay_t<decltype(e)>;
    if constexpr (std::is_same_v<E, nb::kw_only>) {
      params += params.empty() ? "*" : ", *";
    } else if constexpr (nb::detail::arg_traits<E>::is_arg) {
      params += std::string(params.empty() ? "" : ", ") + e.name_ + ": " + *type++;
      if constexpr (nb::detail::arg_traits<E>::has_default) {
        params += std::string(" = ") + nb::repr(e.value).c_str();
      }
    }
  };
  (add(extra), ...);
  return keep("def " + std::string(name) + "(" + params + ") -> " + returns);
}

// cls.def(name, fn, extra..., doc) with signature(name, types, returns, extra...).
template <typename Cls, typename Fn, typename... Extra>
void def_typed(Cls& cls, const char* name, Fn&& fn, std::initializer_list<const char*> types,
               const std::string& returns, const char* doc, const Extra&... extra) {
  cls.def(name, std::forward<Fn>(fn), extra..., nb::sig(signature(name, types, returns, extra...)),
          doc);
}

// The Python type name of the result of a blocking call (see convert.hpp).
template <auto Convert>
constexpr const char* kReturns = "None";
template <>
inline constexpr const char* kReturns<bytes_list> = "list[bytes]";
template <>
inline constexpr const char* kReturns<str_list> = "list[str]";
template <>
inline constexpr const char* kReturns<next_tuple> = "tuple[list[bytes], bool]";
template <>
inline constexpr const char* kReturns<int_of> = "int";
template <>
inline constexpr const char* kReturns<bool_of> = "bool";
template <>
inline constexpr const char* kReturns<reservation_of> = "rocksq._rocksq.Reservation";

template <typename Flavour, typename Queue, typename ResponseT>
class QueueBinder {
 public:
  using Self = PyQueue<Flavour, Queue>;
  using Variant = typename ResponseT::Variant;
  static constexpr bool kBlocking = std::is_same_v<Flavour, PyBlocking>;
  static constexpr const char* kResponse =
      std::is_same_v<ResponseT, Response> ? "Response" : "MpmcResponse";

  explicit QueueBinder(nb::class_<Self>& cls) : cls_(cls) {}

  // The parameter types of a method of Queue.
  template <typename M>
  struct MethodOf;
  template <typename R, typename... P>
  struct MethodOf<rocksq::Future<R> (Queue::*)(P...)> {
    using Params = std::tuple<P...>;
  };

  // A method taking arguments; the last Python parameter is no_gil (see
  // no_gil()): in the blocking flavour, False keeps the GIL while waiting.
  template <auto Field = nullptr, auto Convert = nullptr, typename R, typename... Params,
            typename... Extra>
  QueueBinder& op(const char* name, rocksq::Future<R> (Queue::*method)(Params...),
                  const char* doc, const Extra&... extra) {
    def_typed(
        cls_, name,
        [method](Self& self, PyArg<Params>... args, bool no_gil) {
          // Converted in order, before submitting.
          return call<Field, Convert>(self, method, std::tuple<Params...>{args.value()...},
                                      no_gil);
        },
        {nb::detail::make_caster<PyArg<Params>>::Name.text..., "bool"},
        kBlocking ? kReturns<Convert> : kResponse, keep(with_returns(doc)), extra...);
    return *this;
  }

  // A method with a timeout parameter (a read that may wait): in Python
  // no_gil comes right before it, and the parameters after it (options such
  // as commit) follow in their order.
  template <auto Field, auto Convert, typename Method, typename... Extra>
  QueueBinder& waiting_op(const char* name, Method method, const char* doc,
                          const Extra&... extra) {
    using Params = typename MethodOf<Method>::Params;
    constexpr std::size_t kTimeout = index_of_timeout<Params>();
    constexpr std::size_t kTrailing = std::tuple_size<Params>::value - kTimeout - 1;
    return this->template bind_waiting_op<Field, Convert>(
        name, method, doc, std::make_index_sequence<kTimeout>{},
        std::make_index_sequence<kTrailing>{}, extra...);
  }

  // A read-only property (no arguments).
  template <auto Field, auto Convert, typename R>
  QueueBinder& prop(const char* name, rocksq::Future<R> (Queue::*method)(), const char* doc) {
    cls_.def_prop_ro(
        name,
        [method](Self& self) {
          return deliver<Field, Convert>(submit([&] { return ((*self.queue).*method)(); }, true),
                                         true);
        },
        keep(with_returns(doc)));
    return *this;
  }

  // close(), __enter__/__exit__, _hold() and inflight_ops.
  QueueBinder& lifecycle(const char* close_doc) {
    cls_.def_prop_ro("inflight_ops", [](Self& self) { return self.queue->inflight_ops(); },
                     "Operations submitted whose result is not yet available.");
    cls_.def("close",
             [](Self& self) {
               GilRelease release;
               self.queue->close();
             },
             close_doc)
        .def("__enter__", [](nb::handle self) { return nb::borrow(self); },
             nb::sig("def __enter__(self, /) -> typing_extensions.Self"),
             "Returns the queue itself (with-statement support).")
        .def("__exit__",
             [](Self& self, nb::handle, nb::handle, nb::handle) {
               GilRelease release;
               self.queue->close();
             },
             nb::arg("exc_type").none(), nb::arg("exc_value").none(), nb::arg("traceback").none(),
             nb::sig("def __exit__(self, exc_type: type[BaseException] | None, exc_value: "
                     "BaseException | None, traceback: types.TracebackType | None, /) -> None"),
             "Closes the queue (see close()).")
        .def("_hold", [](Self& self) { return PyHold{std::make_unique<rocksq::QueueControl::Hold>(*self.queue)}; },
             nb::keep_alive<0, 1>(),
             "For tests: a context manager during which the worker starts no new group of "
             "operations, so that those submitted meanwhile run as one group.");
    return *this;
  }

  // Opens the queue in self (placement) with Python's waits installed.
  template <typename... Args>
  static void construct(Self* self, Args&&... args) {
    std::unique_ptr<Queue> queue;
    {
      GilRelease release;
      queue = std::make_unique<Queue>(std::forward<Args>(args)...);
    }
    queue->set_room_wait(interruptible_room_wait);
    if constexpr (kBlocking) {
      queue->set_caller_runs(true);  // see submit()
    } else {
      queue->set_completion_callback(notify_async_signals);  // await
    }
    new (self) Self{std::move(queue)};
  }

 private:
  template <typename Params, std::size_t I = 0>
  static constexpr std::size_t index_of_timeout() {
    static_assert(I < std::tuple_size<Params>::value, "a waiting operation takes a timeout");
    if constexpr (std::is_same_v<std::tuple_element_t<I, Params>, std::chrono::nanoseconds>) {
      return I;
    } else {
      return index_of_timeout<Params, I + 1>();
    }
  }

  template <auto Field, auto Convert, typename Method, std::size_t... I, std::size_t... J,
            typename... Extra>
  QueueBinder& bind_waiting_op(const char* name, Method method, const char* doc,
                               std::index_sequence<I...>, std::index_sequence<J...>,
                               const Extra&... extra) {
    using Params = typename MethodOf<Method>::Params;
    constexpr std::size_t kAfter = sizeof...(I) + 1;  // the first parameter after the timeout
    def_typed(
        cls_, name,
        [method](Self& self, PyArg<std::tuple_element_t<I, Params>>... args, bool no_gil,
                 TimeoutArg timeout, PyArg<std::tuple_element_t<kAfter + J, Params>>... options) {
          // Converted in order, before submitting.
          return call<Field, Convert>(
              self, method, Params{args.value()..., timeout.value(), options.value()...}, no_gil);
        },
        {nb::detail::make_caster<PyArg<std::tuple_element_t<I, Params>>>::Name.text..., "bool",
         "float | None",
         nb::detail::make_caster<PyArg<std::tuple_element_t<kAfter + J, Params>>>::Name.text...},
        kBlocking ? kReturns<Convert> : kResponse, keep(with_returns(doc)), extra...);
    return *this;
  }

  // (self.queue->*method)(values...), delivered as the flavour does.
  template <auto Field, auto Convert, typename Method, typename Values>
  static auto call(Self& self, Method method, Values values, bool no_gil) {
    auto invoke = [&] {
      return std::apply([&](auto&&... v) { return ((*self.queue).*method)(std::move(v)...); },
                        std::move(values));
    };
    return deliver<Field, Convert>(submit(invoke, no_gil), no_gil);
  }

  // Submits with call().  A blocking call may run its operation right here
  // (caller_runs): then without the GIL, unless told to keep it.
  template <typename Call>
  static auto submit(Call&& call, bool release_gil) {
    if constexpr (kBlocking) {
      if (release_gil) {
        GilRelease release;
        return call();
      }
    }
    return call();
  }

  template <auto Field, auto Convert, typename R>
  static auto deliver(rocksq::Future<R> future, bool release_gil) {
    if constexpr (kBlocking) {
      if (!future.is_ready()) {
        try {
          wait_interruptibly([&](auto slice) { return future.wait_for(slice); }, std::nullopt,
                             release_gil);
        } catch (nb::python_error& e) {
          raise_interrupted(e, nb::cast(respond<Field, Convert>(std::move(future))));
        }
      }
      if constexpr (std::is_void_v<R>) {
        future.get();
      } else {
        return Convert(future.get());
      }
    } else {
      return respond<Field, Convert>(std::move(future));
    }
  }

  template <auto Field, auto Convert, typename R>
  static ResponseT respond(rocksq::Future<R> future) {
    if constexpr (std::is_void_v<R>) {
      return ResponseT{ResponseCore(std::move(future), [] { return nb::cast(Variant()); })};
    } else {
      return ResponseT{ResponseCore(std::move(future), [](const R& value) {
        Variant v;
        if constexpr (std::is_invocable_v<decltype(Field), Variant&, const R&>) {
          Field(v, value);  // a result that fills several fields
        } else if constexpr (!std::is_null_pointer_v<decltype(Field)>) {
          v.*Field = Convert(value);
        }
        return nb::cast(std::move(v));
      })};
    }
  }

  static std::string with_returns(const char* doc) {
    if constexpr (kBlocking) {
      return doc;
    } else {
      return std::string(doc) + "\n\nNon-blocking: returns a " +
             kResponse +
             " at once; its get() (or await) returns the result in a " +
             std::string(std::is_same_v<ResponseT, Response> ? "ResponseVariant"
                                                             : "MpmcResponseVariant") +
             " and raises the operation's error.";
    }
  }

  nb::class_<Self>& cls_;
};

// Binds rocksq._rocksq._Hold once.
void bind_hold(nb::module_& m);

}  // namespace rocksq_py

#endif  // ROCKSQ_BINDINGS_OPS_HPP_
