// The MPMC log's operations, each written once for both flavours: a
// function of the store, run on the log's worker (runtime/service.hpp).
#include "rocksq/mpmc_queue.hpp"

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "storage/mpmc_store.hpp"
#include "runtime/flavour.hpp"

namespace rocksq {

using internal::MpmcStore;

template <typename F>
BasicMpmcQueue<F>::BasicMpmcQueue(const std::string& path, std::chrono::seconds ttl,
                                  std::size_t max_inflight_ops, const Options& options)
    : QueueControl(std::make_unique<internal::Service<MpmcStore>>(
          path, max_inflight_ops,
          [&] {
            internal::checked_ttl(ttl);  // before the database is opened
            return std::make_unique<MpmcStore>(path, ttl, options);
          })),
      ttl_(ttl) {
  // A blocking call waits for its result: it may as well run the operation.
  if constexpr (std::is_same_v<F, Blocking>) set_caller_runs(true);
}

template <typename F>
auto BasicMpmcQueue<F>::add(std::vector<std::string> items) -> Result<void> {
  return internal::run_waking<F, MpmcStore>(
      service(), [items = std::move(items)](MpmcStore& s) mutable { s.add(std::move(items)); });
}

template <typename F>
auto BasicMpmcQueue<F>::next(std::string label, StartPosition start_position,
                             std::size_t max_elements, std::chrono::nanoseconds timeout,
                             bool commit) -> Result<NextResult> {
  if (timeout <= std::chrono::nanoseconds::zero() || max_elements == 0) {
    return internal::run<F, MpmcStore>(
        service(),
        [label = std::move(label), start_position, max_elements, commit](MpmcStore& s) {
          return s.next(label, start_position, max_elements, commit);
        });
  }
  // A read that found nothing may have created its label: next() would.
  return internal::run_waiting<F, MpmcStore>(
      service(), timeout,
      [label = std::move(label), start_position, max_elements, commit](
          MpmcStore& s, bool final) -> std::optional<NextResult> {
        NextResult read = s.next(label, start_position, max_elements, commit);
        if (read.items.empty() && !read.expired && !final) return std::nullopt;
        return read;
      });
}

template <typename F>
auto BasicMpmcQueue<F>::peek(std::string label, StartPosition start_position,
                             std::size_t max_elements) -> Result<NextResult> {
  return internal::run<F, MpmcStore>(
      service(), [label = std::move(label), start_position, max_elements](MpmcStore& s) {
        return s.peek(label, start_position, max_elements);
      });
}

template <typename F>
auto BasicMpmcQueue<F>::commit(std::string label) -> Result<void> {
  return internal::run<F, MpmcStore>(
      service(), [label = std::move(label)](MpmcStore& s) { s.commit_label(label); });
}

template <typename F>
auto BasicMpmcQueue<F>::labels() -> Result<std::vector<std::string>> {
  return internal::run<F, MpmcStore>(service(), [](MpmcStore& s) { return s.labels(); });
}

template <typename F>
auto BasicMpmcQueue<F>::remove_label(std::string label) -> Result<bool> {
  return internal::run<F, MpmcStore>(
      service(), [label = std::move(label)](MpmcStore& s) { return s.remove_label(label); });
}

template <typename F>
auto BasicMpmcQueue<F>::len() -> Result<std::size_t> {
  return internal::run<F, MpmcStore>(service(), [](MpmcStore& s) { return s.len(); });
}

template <typename F>
auto BasicMpmcQueue<F>::is_empty() -> Result<bool> {
  return internal::run<F, MpmcStore>(service(), [](MpmcStore& s) { return s.len() == 0; });
}

template <typename F>
auto BasicMpmcQueue<F>::payload_size() -> Result<std::uint64_t> {
  return internal::run<F, MpmcStore>(service(), [](MpmcStore& s) { return s.payload_size(); });
}

template <typename F>
auto BasicMpmcQueue<F>::disk_size() -> Result<std::uint64_t> {
  return internal::run<F, MpmcStore>(service(), [](MpmcStore& s) { return s.disk_size(); });
}

template class BasicMpmcQueue<Blocking>;
template class BasicMpmcQueue<NonBlocking>;

}  // namespace rocksq
