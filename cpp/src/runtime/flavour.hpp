// run<Flavour, Store>(service, fn): submits fn(store) and delivers its result
// as the flavour does: at once as a Future (NonBlocking), or once it is
// there (Blocking).  The one place where the two flavours differ.
#ifndef ROCKSQ_SRC_RUNTIME_FLAVOUR_HPP_
#define ROCKSQ_SRC_RUNTIME_FLAVOUR_HPP_

#include <type_traits>
#include <utility>

#include "rocksq/flavour.hpp"
#include "service.hpp"

namespace rocksq {
namespace internal {

template <typename Flavour, typename Store, typename Fn>
typename Flavour::template Result<OpResult<Store, Fn>> run(ServiceBase& service, Fn fn) {
  auto future = static_cast<Service<Store>&>(service).submit(std::move(fn));
  if constexpr (std::is_same_v<Flavour, Blocking>) {
    return future.take();
  } else {
    return future;
  }
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_RUNTIME_FLAVOUR_HPP_
