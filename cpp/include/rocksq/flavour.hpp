// The two flavours of every queue: the same operations, returning their
// result (Blocking) or a Future of it at once (NonBlocking).
//
//   rocksq::PersistentQueueWithCapacity q(path);               // Blocking
//   std::vector<std::string> items = q.pop(10);
//   rocksq::nonblocking::PersistentQueueWithCapacity nq(path);  // NonBlocking
//   rocksq::Future<std::vector<std::string>> f = nq.pop(10);
//
// Both run the operation on the queue's worker thread under the same rules;
// a blocking call is the non-blocking one followed by get().
#ifndef ROCKSQ_FLAVOUR_HPP_
#define ROCKSQ_FLAVOUR_HPP_

#include "rocksq/future.hpp"

namespace rocksq {

struct Blocking {
  template <typename T>
  using Result = T;
};

struct NonBlocking {
  template <typename T>
  using Result = Future<T>;
};

}  // namespace rocksq

#endif  // ROCKSQ_FLAVOUR_HPP_
