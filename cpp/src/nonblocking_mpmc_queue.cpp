#include "rocksq/nonblocking/mpmc_queue.hpp"

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mpmc_expiry.hpp"
#include "mpmc_store.hpp"
#include "queue_service.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace nonblocking {

namespace {

// One submitted MPMC operation, its inputs and, once executed, its result.
struct MpmcOp
    : internal::OpResult<void, NextResult, std::vector<std::string>, bool, std::size_t,
                         std::uint64_t> {
  enum class Kind { kAdd, kNext, kLabels, kRemoveLabel, kLen, kPayloadSize, kDiskSize };

  explicit MpmcOp(Kind k) : kind(k) {}

  Kind kind;
  std::vector<std::string> items;  // add: input; labels: result
  std::string label;               // next, remove_label: input
  StartPosition start_position = StartPosition::Oldest;
  std::uint64_t number = 0;        // next: max_elements; len, sizes, remove_label: result
  NextResult read;                 // next: result

  void complete() noexcept {
    publish([this] {
      switch (result_index()) {
        case 0: promise_of<0>().set_value(); break;
        case 1: promise_of<1>().set_value(std::move(read)); break;
        case 2: promise_of<2>().set_value(std::move(items)); break;
        case 3: promise_of<3>().set_value(number != 0); break;
        case 4: promise_of<4>().set_value(static_cast<std::size_t>(number)); break;
        default: promise_of<5>().set_value(number); break;
      }
    });
  }
};

using MpmcService = internal::QueueService<internal::MpmcStore, MpmcOp>;

// Runs on the worker: stages every operation, then commits them together.
void execute(internal::MpmcStore& store, std::vector<MpmcOp>& ops) {
  try {
    for (auto& op : ops) {
      switch (op.kind) {
        case MpmcOp::Kind::kAdd:
          store.add(std::move(op.items));
          op.items.clear();
          break;
        case MpmcOp::Kind::kNext:
          op.read = store.next(op.label, op.start_position, static_cast<std::size_t>(op.number));
          break;
        case MpmcOp::Kind::kLabels:
          op.items = store.labels();
          break;
        case MpmcOp::Kind::kRemoveLabel:
          op.number = store.remove_label(op.label) ? 1 : 0;
          break;
        case MpmcOp::Kind::kLen:
          op.number = store.len();
          break;
        case MpmcOp::Kind::kPayloadSize:
          op.number = store.payload_size();
          break;
        case MpmcOp::Kind::kDiskSize:
          op.number = store.disk_size();
          break;
      }
    }
    store.commit();
  } catch (...) {
    // Nothing staged was written: every result of this group is void.
    store.rollback();
    for (auto& op : ops) op.fail(std::current_exception());
  }
}

}  // namespace

class MpmcQueue::Impl : public MpmcService {
 public:
  // ttl was checked: it is the store's.
  Impl(const std::string& path, std::chrono::seconds ttl, std::size_t max_inflight_ops,
       const Options& options)
      : MpmcService(
            path, [&] { return std::make_unique<internal::MpmcStore>(path, ttl, options); },
            max_inflight_ops, execute, internal::expire_and_reclaim),
        ttl_(ttl) {}

  std::chrono::seconds ttl() const { return ttl_; }

 private:
  const std::chrono::seconds ttl_;
};

MpmcQueue::MpmcQueue(const std::string& path, std::chrono::seconds ttl,
                     std::size_t max_inflight_ops, const Options& options) {
  internal::checked_ttl(ttl);
  impl_ = std::make_unique<Impl>(path, ttl, max_inflight_ops, options);
}

MpmcQueue::MpmcQueue(const std::string& path, std::int64_t ttl_seconds,
                     std::size_t max_inflight_ops, const Options& options)
    : MpmcQueue(path, std::chrono::seconds(ttl_seconds), max_inflight_ops, options) {}

MpmcQueue::~MpmcQueue() = default;

std::shared_future<void> MpmcQueue::add(std::vector<std::string> items) {
  MpmcOp op(MpmcOp::Kind::kAdd);
  op.items = std::move(items);
  return impl_->submit<0>(std::move(op));
}

std::shared_future<NextResult> MpmcQueue::next(std::string label, StartPosition start_position,
                                               std::size_t max_elements) {
  MpmcOp op(MpmcOp::Kind::kNext);
  op.label = std::move(label);
  op.start_position = start_position;
  op.number = max_elements;
  return impl_->submit<1>(std::move(op));
}

std::shared_future<std::vector<std::string>> MpmcQueue::labels() {
  return impl_->submit<2>(MpmcOp(MpmcOp::Kind::kLabels));
}

std::shared_future<bool> MpmcQueue::remove_label(std::string label) {
  MpmcOp op(MpmcOp::Kind::kRemoveLabel);
  op.label = std::move(label);
  return impl_->submit<3>(std::move(op));
}

std::shared_future<std::size_t> MpmcQueue::len() {
  return impl_->submit<4>(MpmcOp(MpmcOp::Kind::kLen));
}

std::shared_future<std::uint64_t> MpmcQueue::payload_size() {
  return impl_->submit<5>(MpmcOp(MpmcOp::Kind::kPayloadSize));
}

std::shared_future<std::uint64_t> MpmcQueue::disk_size() {
  return impl_->submit<5>(MpmcOp(MpmcOp::Kind::kDiskSize));
}

void MpmcQueue::set_completion_callback(std::function<void()> callback) {
  impl_->set_completion_callback(std::move(callback));
}

std::size_t MpmcQueue::inflight_ops() const { return impl_->inflight(); }

std::size_t MpmcQueue::max_inflight_ops() const { return impl_->max_inflight(); }

void MpmcQueue::close() { impl_->close(); }

const std::string& MpmcQueue::path() const { return impl_->path(); }

std::chrono::seconds MpmcQueue::ttl() const { return impl_->ttl(); }

}  // namespace nonblocking
}  // namespace rocksq
