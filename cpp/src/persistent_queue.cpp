// The FIFO queue's operations, each written once for both flavours and for
// shared queues: a function of the queue's service that submits a function
// of the store, run on the queue's worker (runtime/service.hpp), in the
// process that owns the queue (remote/shared_service.hpp).
#include "rocksq/persistent_queue.hpp"

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "remote/shared_service.hpp"
#include "runtime/flavour.hpp"
#include "storage/fifo_store.hpp"

namespace rocksq {

using internal::FifoStore;

namespace internal {
namespace {

using FifoService = Service<FifoStore>;

Future<void> push(FifoService& s, std::vector<std::string> items) {
  return s.submit([items = std::move(items)](FifoStore& st) mutable { st.push(std::move(items)); },
                  true);
}

Future<std::vector<std::string>> pop(FifoService& s, std::size_t max_elements,
                                     std::chrono::nanoseconds timeout) {
  if (timeout <= std::chrono::nanoseconds::zero() || max_elements == 0) {
    return s.submit([max_elements](FifoStore& st) { return st.pop(max_elements); });
  }
  return s.submit_waiting(
      [max_elements](FifoStore& st, bool final) -> std::optional<std::vector<std::string>> {
        if (st.available() == 0 && !final) return std::nullopt;
        return st.pop(max_elements);
      },
      timeout);
}

Future<Reservation> reserve(FifoService& s, std::size_t max_elements,
                            std::chrono::milliseconds lease_duration,
                            std::chrono::nanoseconds timeout) {
  if (timeout <= std::chrono::nanoseconds::zero() || max_elements == 0) {
    return s.submit([max_elements, lease_duration](FifoStore& st) {
      return st.reserve(max_elements, lease_duration);
    });
  }
  return s.submit_waiting(
      [max_elements, lease_duration](FifoStore& st, bool final) -> std::optional<Reservation> {
        if (st.available() == 0 && !final) return std::nullopt;
        return st.reserve(max_elements, lease_duration);
      },
      timeout);
}

Future<void> ack(FifoService& s, LeaseId lease) {
  return s.submit([lease](FifoStore& st) { st.ack(lease); });
}

Future<void> release(FifoService& s, LeaseId lease) {
  return s.submit([lease](FifoStore& st) { st.release(lease); }, true);
}

Future<std::size_t> reserved(FifoService& s) {
  return s.submit([](FifoStore& st) { return st.reserved(); });
}

Future<std::vector<std::string>> peek(FifoService& s, std::size_t max_elements) {
  return s.submit([max_elements](FifoStore& st) { return st.peek(max_elements); });
}

Future<std::size_t> len(FifoService& s) {
  return s.submit([](FifoStore& st) { return st.len(); });
}

Future<bool> is_empty(FifoService& s) {
  return s.submit([](FifoStore& st) { return st.len() == 0; });
}

Future<std::uint64_t> payload_size(FifoService& s) {
  return s.submit([](FifoStore& st) { return st.payload_size(); });
}

Future<std::uint64_t> disk_size(FifoService& s) {
  return s.submit([](FifoStore& st) { return st.disk_size(); });
}

// The order is the wire protocol's (remote/wire.hpp): append only.
using FifoOps = OpTable<&push, &pop, &reserve, &ack, &release, &reserved, &peek, &len, &is_empty,
                        &payload_size, &disk_size>;

std::unique_ptr<ServiceBase> open_fifo(const std::string& path, std::size_t max_elements,
                                       std::size_t max_inflight_ops, const Options& options) {
  auto open_local = [path, max_elements, max_inflight_ops, options] {
    return std::make_unique<FifoService>(path, max_inflight_ops, [&] {
      return std::make_unique<FifoStore>(path, max_elements, options);
    });
  };
  if (!options.shared) return open_local();
  SharedLink::Hello hello;
  hello.kind = static_cast<std::uint8_t>(QueueKind::kFifo);
  hello.parameter = max_elements;
  hello.parameter_name = "max_elements";
  hello.durable = options.durable;
  return std::make_unique<SharedService<FifoStore>>(FifoOps(), path, max_inflight_ops, hello,
                                                    open_local);
}

}  // namespace
}  // namespace internal

template <typename F>
BasicPersistentQueueWithCapacity<F>::BasicPersistentQueueWithCapacity(
    const std::string& path, std::size_t max_elements, std::size_t max_inflight_ops,
    const Options& options)
    : QueueControl(internal::open_fifo(path, max_elements, max_inflight_ops, options)),
      max_elements_(max_elements) {
  // A blocking call waits for its result: it may as well run the operation.
  if constexpr (std::is_same_v<F, Blocking>) set_caller_runs(true);
}

namespace ops = internal;

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::push(std::vector<std::string> items) -> Result<void> {
  return internal::call<F, ops::FifoOps, &ops::push>(service(), std::move(items));
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::pop(std::size_t max_elements,
                                              std::chrono::nanoseconds timeout)
    -> Result<std::vector<std::string>> {
  return internal::call<F, ops::FifoOps, &ops::pop>(service(), max_elements, timeout);
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::reserve(std::size_t max_elements,
                                                  std::chrono::milliseconds lease_duration,
                                                  std::chrono::nanoseconds timeout)
    -> Result<Reservation> {
  return internal::call<F, ops::FifoOps, &ops::reserve>(service(), max_elements, lease_duration,
                                                        timeout);
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::ack(LeaseId lease) -> Result<void> {
  return internal::call<F, ops::FifoOps, &ops::ack>(service(), lease);
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::release(LeaseId lease) -> Result<void> {
  return internal::call<F, ops::FifoOps, &ops::release>(service(), lease);
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::reserved() -> Result<std::size_t> {
  return internal::call<F, ops::FifoOps, &ops::reserved>(service());
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::peek(std::size_t max_elements)
    -> Result<std::vector<std::string>> {
  return internal::call<F, ops::FifoOps, &ops::peek>(service(), max_elements);
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::len() -> Result<std::size_t> {
  return internal::call<F, ops::FifoOps, &ops::len>(service());
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::is_empty() -> Result<bool> {
  return internal::call<F, ops::FifoOps, &ops::is_empty>(service());
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::payload_size() -> Result<std::uint64_t> {
  return internal::call<F, ops::FifoOps, &ops::payload_size>(service());
}

template <typename F>
auto BasicPersistentQueueWithCapacity<F>::disk_size() -> Result<std::uint64_t> {
  return internal::call<F, ops::FifoOps, &ops::disk_size>(service());
}

template class BasicPersistentQueueWithCapacity<Blocking>;
template class BasicPersistentQueueWithCapacity<NonBlocking>;

}  // namespace rocksq
