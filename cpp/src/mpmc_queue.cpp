// The MPMC log's operations, each written once for both flavours and for
// shared logs: a function of the log's service that submits a function of
// the store, run on the log's worker (runtime/service.hpp), in the process
// that owns the log (remote/shared_service.hpp).
#include "rocksq/mpmc_queue.hpp"

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "remote/shared_service.hpp"
#include "runtime/flavour.hpp"
#include "storage/mpmc_store.hpp"

namespace rocksq {

using internal::MpmcStore;

namespace internal {
namespace {

using MpmcService = Service<MpmcStore>;

Future<void> add(MpmcService& s, std::vector<std::string> items) {
  return s.submit([items = std::move(items)](MpmcStore& st) mutable { st.add(std::move(items)); },
                  true);
}

Future<NextResult> next(MpmcService& s, std::string label, StartPosition start_position,
                        std::size_t max_elements, std::chrono::nanoseconds timeout, bool commit) {
  if (timeout <= std::chrono::nanoseconds::zero() || max_elements == 0) {
    return s.submit(
        [label = std::move(label), start_position, max_elements, commit](MpmcStore& st) {
          return st.next(label, start_position, max_elements, commit);
        });
  }
  // A read that found nothing may have created its label: next() would.
  return s.submit_waiting(
      [label = std::move(label), start_position, max_elements, commit](
          MpmcStore& st, bool final) -> std::optional<NextResult> {
        NextResult read = st.next(label, start_position, max_elements, commit);
        if (read.items.empty() && !read.expired && !final) return std::nullopt;
        return read;
      },
      timeout);
}

Future<NextResult> peek(MpmcService& s, std::string label, StartPosition start_position,
                        std::size_t max_elements) {
  return s.submit([label = std::move(label), start_position, max_elements](MpmcStore& st) {
    return st.peek(label, start_position, max_elements);
  });
}

Future<void> commit(MpmcService& s, std::string label) {
  return s.submit([label = std::move(label)](MpmcStore& st) { st.commit_label(label); });
}

Future<std::vector<std::string>> labels(MpmcService& s) {
  return s.submit([](MpmcStore& st) { return st.labels(); });
}

Future<bool> remove_label(MpmcService& s, std::string label) {
  return s.submit([label = std::move(label)](MpmcStore& st) { return st.remove_label(label); });
}

Future<std::size_t> len(MpmcService& s) {
  return s.submit([](MpmcStore& st) { return st.len(); });
}

Future<bool> is_empty(MpmcService& s) {
  return s.submit([](MpmcStore& st) { return st.len() == 0; });
}

Future<std::uint64_t> payload_size(MpmcService& s) {
  return s.submit([](MpmcStore& st) { return st.payload_size(); });
}

Future<std::uint64_t> disk_size(MpmcService& s) {
  return s.submit([](MpmcStore& st) { return st.disk_size(); });
}

// The order is the wire protocol's (remote/wire.hpp): append only.
using MpmcOps = OpTable<&add, &next, &peek, &commit, &labels, &remove_label, &len, &is_empty,
                        &payload_size, &disk_size>;

std::unique_ptr<ServiceBase> open_mpmc(const std::string& path, std::chrono::seconds ttl,
                                       std::size_t max_inflight_ops, const Options& options) {
  auto open_local = [path, ttl, max_inflight_ops, options] {
    return std::make_unique<MpmcService>(path, max_inflight_ops, [&] {
      checked_ttl(ttl);  // before the database is opened
      return std::make_unique<MpmcStore>(path, ttl, options);
    });
  };
  if (!options.shared) return open_local();
  checked_ttl(ttl);
  SharedLink::Hello hello;
  hello.kind = static_cast<std::uint8_t>(QueueKind::kMpmc);
  hello.parameter = static_cast<std::uint64_t>(ttl.count());
  hello.parameter_name = "ttl";
  hello.durable = options.durable;
  return std::make_unique<SharedService<MpmcStore>>(MpmcOps(), path, max_inflight_ops, hello,
                                                    open_local);
}

}  // namespace
}  // namespace internal

template <typename F>
BasicMpmcQueue<F>::BasicMpmcQueue(const std::string& path, std::chrono::seconds ttl,
                                  std::size_t max_inflight_ops, const Options& options)
    : QueueControl(internal::open_mpmc(path, ttl, max_inflight_ops, options)), ttl_(ttl) {
  // A blocking call waits for its result: it may as well run the operation.
  if constexpr (std::is_same_v<F, Blocking>) set_caller_runs(true);
}

namespace ops = internal;

template <typename F>
auto BasicMpmcQueue<F>::add(std::vector<std::string> items) -> Result<void> {
  return internal::call<F, ops::MpmcOps, &ops::add>(service(), std::move(items));
}

template <typename F>
auto BasicMpmcQueue<F>::next(std::string label, StartPosition start_position,
                             std::size_t max_elements, std::chrono::nanoseconds timeout,
                             bool commit) -> Result<NextResult> {
  return internal::call<F, ops::MpmcOps, &ops::next>(service(), std::move(label), start_position,
                                                     max_elements, timeout, commit);
}

template <typename F>
auto BasicMpmcQueue<F>::peek(std::string label, StartPosition start_position,
                             std::size_t max_elements) -> Result<NextResult> {
  return internal::call<F, ops::MpmcOps, &ops::peek>(service(), std::move(label), start_position,
                                                     max_elements);
}

template <typename F>
auto BasicMpmcQueue<F>::commit(std::string label) -> Result<void> {
  return internal::call<F, ops::MpmcOps, &ops::commit>(service(), std::move(label));
}

template <typename F>
auto BasicMpmcQueue<F>::labels() -> Result<std::vector<std::string>> {
  return internal::call<F, ops::MpmcOps, &ops::labels>(service());
}

template <typename F>
auto BasicMpmcQueue<F>::remove_label(std::string label) -> Result<bool> {
  return internal::call<F, ops::MpmcOps, &ops::remove_label>(service(), std::move(label));
}

template <typename F>
auto BasicMpmcQueue<F>::len() -> Result<std::size_t> {
  return internal::call<F, ops::MpmcOps, &ops::len>(service());
}

template <typename F>
auto BasicMpmcQueue<F>::is_empty() -> Result<bool> {
  return internal::call<F, ops::MpmcOps, &ops::is_empty>(service());
}

template <typename F>
auto BasicMpmcQueue<F>::payload_size() -> Result<std::uint64_t> {
  return internal::call<F, ops::MpmcOps, &ops::payload_size>(service());
}

template <typename F>
auto BasicMpmcQueue<F>::disk_size() -> Result<std::uint64_t> {
  return internal::call<F, ops::MpmcOps, &ops::disk_size>(service());
}

template class BasicMpmcQueue<Blocking>;
template class BasicMpmcQueue<NonBlocking>;

}  // namespace rocksq
