// Reclaimer: compacts key ranges of a database on its own thread, so that the
// space of deleted keys returns to the file system without blocking the
// queue's worker.  RocksDB would reclaim it too, but only once enough new
// writes trigger compactions: an idle log would keep its expired data.
#ifndef ROCKSQ_SRC_STORAGE_RECLAIMER_HPP_
#define ROCKSQ_SRC_STORAGE_RECLAIMER_HPP_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>

namespace rocksq {
namespace internal {

class Reclaimer {
 public:
  using Range = std::pair<std::string, std::string>;  // [begin, end)

  // db must outlive the Reclaimer.
  explicit Reclaimer(rocksdb::DB* db)
      : db_(db), thread_([this] { run(); }) {}

  // Cancels a running compaction and joins the thread.
  ~Reclaimer() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    canceled_.store(true);
    wake_.notify_one();
    thread_.join();
  }

  Reclaimer(const Reclaimer&) = delete;
  Reclaimer& operator=(const Reclaimer&) = delete;

  // Asks for ranges to be compacted; replaces a request not yet started.
  void request(std::vector<Range> ranges) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      pending_ = std::move(ranges);
    }
    wake_.notify_one();
  }

 private:
  void run() noexcept {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (stopping_) return;
      std::vector<Range> ranges;
      ranges.swap(pending_);
      lock.unlock();
      for (const auto& [begin, end] : ranges) {
        rocksdb::CompactRangeOptions options;
        options.canceled = &canceled_;
        const rocksdb::Slice b(begin), e(end);
        // Best effort: a failed or canceled compaction leaves the space to
        // RocksDB's own compactions.
        db_->CompactRange(options, &b, &e).PermitUncheckedError();
        if (canceled_.load()) break;
      }
      lock.lock();
    }
  }

  rocksdb::DB* const db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Range> pending_;
  bool stopping_ = false;
  std::atomic<bool> canceled_{false};
  std::thread thread_;  // last: starts once the rest is ready
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_RECLAIMER_HPP_
