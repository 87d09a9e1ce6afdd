// The FIFO queue's operations, each written once for both flavours: a
// function of the store, run on the queue's worker (runtime/service.hpp).
#include "rocksq/persistent_queue.hpp"

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "storage/fifo_store.hpp"
#include "runtime/flavour.hpp"

namespace rocksq {

using internal::FifoStore;

template <typename F>
BasicPersistentQueueWithCapacity<F>::BasicPersistentQueueWithCapacity(
    const std::string& path, std::size_t max_elements, std::size_t max_inflight_ops,
    const Options& options)
    : QueueControl(std::make_unique<internal::Service<FifoStore>>(
          path, max_inflight_ops,
          [&] { return std::make_unique<FifoStore>(path, max_elements, options); })),
      max_elements_(max_elements) {
  // A blocking call waits for its result: it may as well run the operation.
  if constexpr (std::is_same_v<F, Blocking>) set_caller_runs(true);
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::push(std::vector<std::string> items) -> Result<void> {
  return internal::run_waking<F, FifoStore>(
      service(), [items = std::move(items)](FifoStore& s) mutable { s.push(std::move(items)); });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::pop(std::size_t max_elements,
                                              std::chrono::nanoseconds timeout)
    -> Result<std::vector<std::string>> {
  if (timeout <= std::chrono::nanoseconds::zero() || max_elements == 0) {
    return internal::run<F, FifoStore>(
        service(), [max_elements](FifoStore& s) { return s.pop(max_elements); });
  }
  return internal::run_waiting<F, FifoStore>(
      service(), timeout,
      [max_elements](FifoStore& s, bool final) -> std::optional<std::vector<std::string>> {
        if (s.available() == 0 && !final) return std::nullopt;
        return s.pop(max_elements);
      });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::reserve(std::size_t max_elements,
                                                  std::chrono::milliseconds lease_duration,
                                                  std::chrono::nanoseconds timeout)
    -> Result<Reservation> {
  if (timeout <= std::chrono::nanoseconds::zero() || max_elements == 0) {
    return internal::run<F, FifoStore>(service(), [max_elements, lease_duration](FifoStore& s) {
      return s.reserve(max_elements, lease_duration);
    });
  }
  return internal::run_waiting<F, FifoStore>(
      service(), timeout,
      [max_elements, lease_duration](FifoStore& s, bool final) -> std::optional<Reservation> {
        if (s.available() == 0 && !final) return std::nullopt;
        return s.reserve(max_elements, lease_duration);
      });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::ack(LeaseId lease) -> Result<void> {
  return internal::run<F, FifoStore>(service(), [lease](FifoStore& s) { s.ack(lease); });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::release(LeaseId lease) -> Result<void> {
  return internal::run_waking<F, FifoStore>(service(),
                                            [lease](FifoStore& s) { s.release(lease); });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::reserved() -> Result<std::size_t> {
  return internal::run<F, FifoStore>(service(), [](FifoStore& s) { return s.reserved(); });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::peek(std::size_t max_elements)
    -> Result<std::vector<std::string>> {
  return internal::run<F, FifoStore>(service(),
                                     [max_elements](FifoStore& s) { return s.peek(max_elements); });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::len() -> Result<std::size_t> {
  return internal::run<F, FifoStore>(service(), [](FifoStore& s) { return s.len(); });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::is_empty() -> Result<bool> {
  return internal::run<F, FifoStore>(service(), [](FifoStore& s) { return s.len() == 0; });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::payload_size() -> Result<std::uint64_t> {
  return internal::run<F, FifoStore>(service(), [](FifoStore& s) { return s.payload_size(); });
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::disk_size() -> Result<std::uint64_t> {
  return internal::run<F, FifoStore>(service(), [](FifoStore& s) { return s.disk_size(); });
}

template class BasicPersistentQueueWithCapacity<Blocking>;
template class BasicPersistentQueueWithCapacity<NonBlocking>;

}  // namespace rocksq
