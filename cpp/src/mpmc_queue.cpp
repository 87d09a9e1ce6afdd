#include "rocksq/mpmc_queue.hpp"

#include <exception>
#include <mutex>
#include <type_traits>
#include <utility>

#include "mpmc_store.hpp"
#include "rocksq/error.hpp"
#include "worker.hpp"

namespace rocksq {
namespace internal {

namespace {

// The housekeeping thread of a blocking log runs no operations, only timed
// expiry.
struct NoOp {
  void fail(std::exception_ptr) noexcept {}
  void complete() noexcept {}
};

}  // namespace

// An MpmcStore behind a mutex, committing each call on its own, with a
// thread that removes expired elements on time even when nobody calls.
class LockedMpmc {
 public:
  LockedMpmc(const std::string& path, std::chrono::seconds ttl, const Options& options)
      : path_(path),
        ttl_(checked_ttl(ttl)),
        store_(std::make_unique<MpmcStore>(path, ttl, options)),
        housekeeper_("log " + path, 1, [](std::vector<NoOp>&) {}, [this] { return tick(); }) {}

  ~LockedMpmc() { close(); }

  // Runs fn(store) under the lock, then commits what it staged.
  template <typename Fn>
  auto run(const char* operation, Fn&& fn) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!store_) {
      throw ClosedError(std::string("rocksq: ") + operation + " failed for " + path_ +
                        ": the queue is closed");
    }
    try {
      if constexpr (std::is_void_v<decltype(fn(*store_))>) {
        fn(*store_);
        store_->commit();
      } else {
        auto result = fn(*store_);
        store_->commit();
        return result;
      }
    } catch (...) {
      store_->rollback();
      throw;
    }
  }

  // The housekeeper stops first: it uses the store.
  void close() {
    housekeeper_.stop();
    std::lock_guard<std::mutex> lock(mutex_);
    store_.reset();
  }

  const std::string& path() const { return path_; }
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  Worker<NoOp>::Clock::time_point tick() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!store_) return Worker<NoOp>::Clock::time_point::max();
    try {
      store_->expire();
      store_->commit();
      store_->reclaim_space();
    } catch (...) {
      store_->rollback();
      throw;
    }
    // Wake at least every second: an add may make an earlier deadline.
    return std::min(store_->expiry_due(), Worker<NoOp>::Clock::now() + std::chrono::seconds(1));
  }

  const std::string path_;
  const std::chrono::seconds ttl_;
  std::mutex mutex_;
  std::unique_ptr<MpmcStore> store_;
  Worker<NoOp> housekeeper_;  // last: stopped before the rest is destroyed
};

}  // namespace internal

using internal::MpmcStore;

MpmcQueue::MpmcQueue(const std::string& path, std::chrono::seconds ttl, const Options& options)
    : queue_(std::make_unique<internal::LockedMpmc>(path, ttl, options)) {}

MpmcQueue::MpmcQueue(const std::string& path, std::int64_t ttl_seconds, const Options& options)
    : MpmcQueue(path, std::chrono::seconds(ttl_seconds), options) {}

MpmcQueue::~MpmcQueue() = default;

void MpmcQueue::add(const std::vector<std::string>& items) {
  add(std::vector<std::string>(items));
}

void MpmcQueue::add(std::vector<std::string>&& items) {
  queue_->run("add", [&](MpmcStore& store) { store.add(std::move(items)); });
}

NextResult MpmcQueue::next(const std::string& label, StartPosition start_position,
                           std::size_t max_elements) {
  return queue_->run("next", [&](MpmcStore& store) {
    return store.next(label, start_position, max_elements);
  });
}

std::vector<std::string> MpmcQueue::labels() const {
  return queue_->run("labels", [](MpmcStore& store) { return store.labels(); });
}

bool MpmcQueue::remove_label(const std::string& label) {
  return queue_->run("remove_label", [&](MpmcStore& store) { return store.remove_label(label); });
}

std::size_t MpmcQueue::len() const {
  return queue_->run("len", [](MpmcStore& store) { return store.len(); });
}

bool MpmcQueue::is_empty() const { return len() == 0; }

std::uint64_t MpmcQueue::payload_size() const {
  return queue_->run("payload_size", [](MpmcStore& store) { return store.payload_size(); });
}

std::uint64_t MpmcQueue::disk_size() const {
  return queue_->run("disk_size", [](MpmcStore& store) { return store.disk_size(); });
}

void MpmcQueue::close() { queue_->close(); }

const std::string& MpmcQueue::path() const { return queue_->path(); }

std::chrono::seconds MpmcQueue::ttl() const { return queue_->ttl(); }

}  // namespace rocksq
