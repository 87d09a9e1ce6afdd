#include "rocksq/nonblocking/persistent_queue.hpp"

#include <exception>
#include <memory>
#include <mutex>
#include <variant>

#include "fifo_store.hpp"
#include "rocksq/error.hpp"
#include "worker.hpp"

namespace rocksq {
namespace nonblocking {

namespace {

// One submitted FIFO operation, its inputs and, once executed, its result.
struct FifoOp {
  enum class Kind { kPush, kPop, kLen, kPayloadSize, kDiskSize };
  using Promise = std::variant<std::promise<void>, std::promise<std::vector<std::string>>,
                               std::promise<std::size_t>, std::promise<std::uint64_t>>;

  Kind kind;
  Promise promise;
  std::vector<std::string> items;  // push: input; pop: result
  std::uint64_t number = 0;        // pop: max_elements; len and sizes: result
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
        case 1: std::get<1>(promise).set_value(std::move(items)); break;
        case 2: std::get<2>(promise).set_value(static_cast<std::size_t>(number)); break;
        default: std::get<3>(promise).set_value(number); break;
      }
    } catch (...) {
      // set_value can only fail for a promise already satisfied: nothing to do.
    }
  }
};

bool is_write(FifoOp::Kind kind) {
  return kind == FifoOp::Kind::kPush || kind == FifoOp::Kind::kPop;
}

}  // namespace

class PersistentQueueWithCapacity::Impl {
 public:
  Impl(const std::string& path, std::size_t max_elements, std::size_t max_inflight_ops,
       const Options& options)
      : path_(path),
        store_(std::make_unique<internal::FifoStore>(path, max_elements, options)),
        worker_("queue " + path, max_inflight_ops, [this](std::vector<FifoOp>& ops) { execute(ops); }) {}

  ~Impl() { close(); }

  // Result type I of FifoOp::Promise.
  template <std::size_t I>
  auto submit(FifoOp::Kind kind, std::vector<std::string> items = {}, std::uint64_t number = 0) {
    FifoOp op{kind, FifoOp::Promise(std::in_place_index<I>), std::move(items), number, nullptr};
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

 private:
  // Runs on the worker: stages every operation, then commits them together.
  void execute(std::vector<FifoOp>& ops) {
    bool wrote = false;
    for (auto& op : ops) {
      try {
        switch (op.kind) {
          case FifoOp::Kind::kPush:
            store_->push(std::move(op.items));
            op.items.clear();
            break;
          case FifoOp::Kind::kPop:
            op.items = store_->pop(static_cast<std::size_t>(op.number));
            break;
          case FifoOp::Kind::kLen:
            op.number = store_->len();
            break;
          case FifoOp::Kind::kPayloadSize:
            op.number = store_->payload_size();
            break;
          case FifoOp::Kind::kDiskSize:
            op.number = store_->disk_size();
            break;
        }
        wrote = wrote || is_write(op.kind);
      } catch (const QueueFullError&) {
        op.fail(std::current_exception());  // staged nothing; the others go on
      } catch (...) {
        // Unexpected (e.g. out of memory): drop the whole group.
        store_->rollback();
        for (auto& failed : ops) failed.fail(std::current_exception());
        return;
      }
    }
    if (!wrote) return;
    try {
      store_->commit();
    } catch (...) {
      // Nothing staged was written: every result of this group is void.
      for (auto& op : ops) op.fail(std::current_exception());
    }
  }

  const std::string path_;
  std::mutex close_mutex_;
  std::unique_ptr<internal::FifoStore> store_;
  internal::Worker<FifoOp> worker_;
};

PersistentQueueWithCapacity::PersistentQueueWithCapacity(const std::string& path,
                                                         std::size_t max_elements,
                                                         std::size_t max_inflight_ops,
                                                         const Options& options) {
  if (max_inflight_ops == 0) {
    throw std::invalid_argument("rocksq: max_inflight_ops must be at least 1");
  }
  impl_ = std::make_unique<Impl>(path, max_elements, max_inflight_ops, options);
}

PersistentQueueWithCapacity::~PersistentQueueWithCapacity() = default;

std::shared_future<void> PersistentQueueWithCapacity::push(std::vector<std::string> items) {
  return impl_->submit<0>(FifoOp::Kind::kPush, std::move(items));
}

std::shared_future<std::vector<std::string>> PersistentQueueWithCapacity::pop(
    std::size_t max_elements) {
  return impl_->submit<1>(FifoOp::Kind::kPop, {}, max_elements);
}

std::shared_future<std::size_t> PersistentQueueWithCapacity::len() {
  return impl_->submit<2>(FifoOp::Kind::kLen);
}

std::shared_future<std::uint64_t> PersistentQueueWithCapacity::payload_size() {
  return impl_->submit<3>(FifoOp::Kind::kPayloadSize);
}

std::shared_future<std::uint64_t> PersistentQueueWithCapacity::disk_size() {
  return impl_->submit<3>(FifoOp::Kind::kDiskSize);
}

void PersistentQueueWithCapacity::set_completion_callback(std::function<void()> callback) {
  impl_->set_completion_callback(std::move(callback));
}

std::size_t PersistentQueueWithCapacity::inflight_ops() const { return impl_->inflight(); }

std::size_t PersistentQueueWithCapacity::max_inflight_ops() const { return impl_->max_inflight(); }

void PersistentQueueWithCapacity::close() { impl_->close(); }

const std::string& PersistentQueueWithCapacity::path() const { return impl_->path(); }

}  // namespace nonblocking
}  // namespace rocksq
