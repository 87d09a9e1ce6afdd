// run<Flavour, Store>(service, fn) and its variants: submit an operation
// (see service.hpp) and deliver its result as the flavour does: at once as a
// Future (NonBlocking), or once it is there (Blocking).  The one place where
// the two flavours differ.
#ifndef ROCKSQ_SRC_RUNTIME_FLAVOUR_HPP_
#define ROCKSQ_SRC_RUNTIME_FLAVOUR_HPP_

#include <chrono>
#include <type_traits>
#include <utility>

#include "rocksq/flavour.hpp"
#include "service.hpp"

namespace rocksq {
namespace internal {

template <typename Flavour, typename T>
typename Flavour::template Result<T> deliver(Future<T> future) {
  if constexpr (std::is_same_v<Flavour, Blocking>) {
    return future.take();
  } else {
    return future;
  }
}

// fn(store).
template <typename Flavour, typename Store, typename Fn>
auto run(ServiceBase& service, Fn fn) {
  return deliver<Flavour>(static_cast<Service<Store>&>(service).submit(std::move(fn)));
}

// fn(store), which may let waiting operations go on (a push, an add).
template <typename Flavour, typename Store, typename Fn>
auto run_waking(ServiceBase& service, Fn fn) {
  return deliver<Flavour>(static_cast<Service<Store>&>(service).submit(std::move(fn), true));
}

// The waiting operation fn(store, final) (see task.hpp), for at most timeout.
template <typename Flavour, typename Store, typename Fn>
auto run_waiting(ServiceBase& service, std::chrono::nanoseconds timeout, Fn fn) {
  return deliver<Flavour>(
      static_cast<Service<Store>&>(service).submit_waiting(std::move(fn), timeout));
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_RUNTIME_FLAVOUR_HPP_
