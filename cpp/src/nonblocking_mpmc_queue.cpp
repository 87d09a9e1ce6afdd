#include "rocksq/nonblocking/mpmc_queue.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <mutex>
#include <variant>

#include "mpmc_store.hpp"
#include "rocksq/error.hpp"
#include "worker.hpp"

namespace rocksq {
namespace nonblocking {

namespace {

// One submitted MPMC operation, its inputs and, once executed, its result.
struct MpmcOp {
  enum class Kind { kAdd, kNext, kLabels, kRemoveLabel, kLen, kPayloadSize, kDiskSize };
  using Promise =
      std::variant<std::promise<void>, std::promise<NextResult>,
                   std::promise<std::vector<std::string>>, std::promise<bool>,
                   std::promise<std::size_t>, std::promise<std::uint64_t>>;

  explicit MpmcOp(Kind k) : kind(k) {}

  Kind kind;
  Promise promise;
  std::vector<std::string> items;  // add: input; labels: result
  std::string label;               // next, remove_label: input
  StartPosition start_position = StartPosition::Oldest;
  std::uint64_t number = 0;        // next: max_elements; len, sizes, remove_label: result
  NextResult read;                 // next: result
  std::exception_ptr error;

  void fail(std::exception_ptr e) noexcept {
    if (!error) error = std::move(e);
  }

  // size_t and uint64_t may be one type: results are chosen by index.
  void complete() noexcept {
    try {
      if (error) {
        std::visit([this](auto& p) { p.set_exception(error); }, promise);
        return;
      }
      switch (promise.index()) {
        case 0: std::get<0>(promise).set_value(); break;
        case 1: std::get<1>(promise).set_value(std::move(read)); break;
        case 2: std::get<2>(promise).set_value(std::move(items)); break;
        case 3: std::get<3>(promise).set_value(number != 0); break;
        case 4: std::get<4>(promise).set_value(static_cast<std::size_t>(number)); break;
        default: std::get<5>(promise).set_value(number); break;
      }
    } catch (...) {
      // set_value can only fail for a promise already satisfied: nothing to do.
    }
  }
};

}  // namespace

class MpmcQueue::Impl {
 public:
  using Clock = internal::Worker<MpmcOp>::Clock;

  Impl(const std::string& path, std::chrono::seconds ttl, std::size_t max_inflight_ops,
       const Options& options)
      : path_(path),
        store_(std::make_unique<internal::MpmcStore>(path, ttl, options)),
        ttl_(store_->ttl()),
        worker_("queue " + path, max_inflight_ops,
                [this](std::vector<MpmcOp>& ops) { execute(ops); }, [this] { return tick(); }) {}

  ~Impl() { close(); }

  // Result type I of MpmcOp::Promise.
  template <std::size_t I>
  auto submit(MpmcOp&& op) {
    op.promise = MpmcOp::Promise(std::in_place_index<I>);
    auto future = std::get<I>(op.promise).get_future().share();
    worker_.submit(std::move(op));
    return future;
  }

  // The worker stops first: it is the only user of the store.
  void close() {
    std::lock_guard<std::mutex> lock(close_mutex_);
    worker_.stop();
    store_.reset();
  }
  void set_completion_callback(std::function<void()> callback) {
    worker_.set_completion_callback(std::move(callback));
  }
  std::size_t inflight() const { return worker_.inflight(); }
  std::size_t max_inflight() const { return worker_.max_inflight(); }
  const std::string& path() const { return path_; }
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  // Runs on the worker: stages every operation, then commits them together.
  void execute(std::vector<MpmcOp>& ops) {
    try {
      for (auto& op : ops) {
        switch (op.kind) {
          case MpmcOp::Kind::kAdd:
            store_->add(std::move(op.items));
            op.items.clear();
            break;
          case MpmcOp::Kind::kNext:
            op.read = store_->next(op.label, op.start_position,
                                   static_cast<std::size_t>(op.number));
            break;
          case MpmcOp::Kind::kLabels:
            op.items = store_->labels();
            break;
          case MpmcOp::Kind::kRemoveLabel:
            op.number = store_->remove_label(op.label) ? 1 : 0;
            break;
          case MpmcOp::Kind::kLen:
            op.number = store_->len();
            break;
          case MpmcOp::Kind::kPayloadSize:
            op.number = store_->payload_size();
            break;
          case MpmcOp::Kind::kDiskSize:
            op.number = store_->disk_size();
            break;
        }
      }
      store_->commit();
    } catch (...) {
      // Nothing staged was written: every result of this group is void.
      store_->rollback();
      for (auto& op : ops) op.fail(std::current_exception());
    }
  }

  // Runs on the worker between groups: removes what expired, and wakes again
  // when the oldest element expires (at least every second, since an add to
  // an empty log makes a new deadline).
  Clock::time_point tick() {
    try {
      store_->expire();
      store_->commit();
      store_->reclaim_space();
    } catch (...) {
      store_->rollback();
      throw;
    }
    return std::min(store_->expiry_due(), Clock::now() + std::chrono::seconds(1));
  }

  const std::string path_;
  std::mutex close_mutex_;
  std::unique_ptr<internal::MpmcStore> store_;
  const std::chrono::seconds ttl_;
  internal::Worker<MpmcOp> worker_;
};

MpmcQueue::MpmcQueue(const std::string& path, std::chrono::seconds ttl,
                     std::size_t max_inflight_ops, const Options& options) {
  internal::checked_ttl(ttl);
  if (max_inflight_ops == 0) {
    throw std::invalid_argument("rocksq: max_inflight_ops must be at least 1");
  }
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
