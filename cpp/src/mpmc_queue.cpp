#include "rocksq/mpmc_queue.hpp"

#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "locked_store.hpp"
#include "mpmc_expiry.hpp"
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
      : ttl_(checked_ttl(ttl)),
        store_("log " + path, path,
               [&] { return std::make_unique<MpmcStore>(path, ttl, options); }),
        housekeeper_("log " + path, 1, [](std::vector<NoOp>&) {}, [this] { return tick(); }) {}

  ~LockedMpmc() { close(); }

  // Runs fn(store) under the lock, then commits what it staged; on failure,
  // discards it.
  template <typename Fn>
  auto run(const char* operation, Fn&& fn) {
    return store_.run(operation, [&](MpmcStore& store) {
      try {
        return call_and_commit(store, fn);
      } catch (...) {
        store.rollback();
        throw;
      }
    });
  }

  // The housekeeper stops first: it uses the store.
  void close() {
    housekeeper_.stop();
    store_.close();
  }

  const std::string& path() const { return store_.path(); }
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  Worker<NoOp>::Clock::time_point tick() {
    return store_.run_if_open([](MpmcStore* store) {
      return store ? expire_and_reclaim(*store) : Worker<NoOp>::Clock::time_point::max();
    });
  }

  const std::chrono::seconds ttl_;
  LockedStore<MpmcStore> store_;
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
