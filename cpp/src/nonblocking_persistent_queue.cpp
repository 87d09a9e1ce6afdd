#include "rocksq/nonblocking/persistent_queue.hpp"

#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "fifo_store.hpp"
#include "queue_service.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace nonblocking {

namespace {

// One submitted FIFO operation, its inputs and, once executed, its result.
struct FifoOp : internal::OpResult<void, std::vector<std::string>, std::size_t, std::uint64_t> {
  enum class Kind { kPush, kPop, kLen, kPayloadSize, kDiskSize };

  explicit FifoOp(Kind k, std::vector<std::string> in = {}, std::uint64_t n = 0)
      : kind(k), items(std::move(in)), number(n) {}

  Kind kind;
  std::vector<std::string> items;  // push: input; pop: result
  std::uint64_t number = 0;        // pop: max_elements; len and sizes: result

  void complete() noexcept {
    publish([this] {
      switch (result_index()) {
        case 0: promise_of<0>().set_value(); break;
        case 1: promise_of<1>().set_value(std::move(items)); break;
        case 2: promise_of<2>().set_value(static_cast<std::size_t>(number)); break;
        default: promise_of<3>().set_value(number); break;
      }
    });
  }
};

bool is_write(FifoOp::Kind kind) {
  return kind == FifoOp::Kind::kPush || kind == FifoOp::Kind::kPop;
}

// Runs on the worker: stages every operation, then commits them together.
void execute(internal::FifoStore& store, std::vector<FifoOp>& ops) {
  bool wrote = false;
  for (auto& op : ops) {
    try {
      switch (op.kind) {
        case FifoOp::Kind::kPush:
          store.push(std::move(op.items));
          op.items.clear();
          break;
        case FifoOp::Kind::kPop:
          op.items = store.pop(static_cast<std::size_t>(op.number));
          break;
        case FifoOp::Kind::kLen:
          op.number = store.len();
          break;
        case FifoOp::Kind::kPayloadSize:
          op.number = store.payload_size();
          break;
        case FifoOp::Kind::kDiskSize:
          op.number = store.disk_size();
          break;
      }
      wrote = wrote || is_write(op.kind);
    } catch (const QueueFullError&) {
      op.fail(std::current_exception());  // staged nothing; the others go on
    } catch (...) {
      // Unexpected (e.g. out of memory): drop the whole group.
      store.rollback();
      for (auto& failed : ops) failed.fail(std::current_exception());
      return;
    }
  }
  if (!wrote) return;
  try {
    store.commit();
  } catch (...) {
    // Nothing staged was written: every result of this group is void.
    for (auto& op : ops) op.fail(std::current_exception());
  }
}

}  // namespace

using FifoService = internal::QueueService<internal::FifoStore, FifoOp>;

class PersistentQueueWithCapacity::Impl : public FifoService {
 public:
  Impl(const std::string& path, std::size_t max_elements, std::size_t max_inflight_ops,
       const Options& options)
      : FifoService(
            path,
            [&] { return std::make_unique<internal::FifoStore>(path, max_elements, options); },
            max_inflight_ops, execute) {}
};

PersistentQueueWithCapacity::PersistentQueueWithCapacity(const std::string& path,
                                                         std::size_t max_elements,
                                                         std::size_t max_inflight_ops,
                                                         const Options& options) {
  impl_ = std::make_unique<Impl>(path, max_elements, max_inflight_ops, options);
}

PersistentQueueWithCapacity::~PersistentQueueWithCapacity() = default;

std::shared_future<void> PersistentQueueWithCapacity::push(std::vector<std::string> items) {
  return impl_->submit<0>(FifoOp(FifoOp::Kind::kPush, std::move(items)));
}

std::shared_future<std::vector<std::string>> PersistentQueueWithCapacity::pop(
    std::size_t max_elements) {
  return impl_->submit<1>(FifoOp(FifoOp::Kind::kPop, {}, max_elements));
}

std::shared_future<std::size_t> PersistentQueueWithCapacity::len() {
  return impl_->submit<2>(FifoOp(FifoOp::Kind::kLen));
}

std::shared_future<std::uint64_t> PersistentQueueWithCapacity::payload_size() {
  return impl_->submit<3>(FifoOp(FifoOp::Kind::kPayloadSize));
}

std::shared_future<std::uint64_t> PersistentQueueWithCapacity::disk_size() {
  return impl_->submit<3>(FifoOp(FifoOp::Kind::kDiskSize));
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
