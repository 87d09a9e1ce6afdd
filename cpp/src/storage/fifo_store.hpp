// FifoStore: the storage of a FIFO queue, not thread-safe.
//
// Layout in RocksDB (see layout.hpp): "m" meta, "d" + seg segments.
// Segments [head_seg, tail_seg) are held; the first head_off items of the
// head segment were already popped.
//
// Operations are staged: push and pop change the in-memory state and add to a
// pending WriteBatch; commit() writes every staged operation and the new meta
// as one atomic RocksDB write (group commit).  If that write fails,
// rollback() reloads the state from the database, so nothing staged is
// visible.  Staged
// segments are not in the database until then: those the memory cache has
// no room for are held in staged_ so that a pop in the same group finds them.
#ifndef ROCKSQ_SRC_STORAGE_FIFO_STORE_HPP_
#define ROCKSQ_SRC_STORAGE_FIFO_STORE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <rocksdb/write_batch.h>

#include "database.hpp"
#include "rocksq/options.hpp"
#include "segment.hpp"

namespace rocksq {
namespace internal {

class FifoStore {
 public:
  FifoStore(const std::string& path, std::size_t max_elements, const Options& options);
  // The store of an open database (e.g. Database::secondary, for reading).
  FifoStore(Database db, std::size_t max_elements, const Options& options);

  FifoStore(const FifoStore&) = delete;
  FifoStore& operator=(const FifoStore&) = delete;

  // Stages a push.  Throws QueueFullError, staging nothing, if the queue would
  // exceed max_elements.
  void push(std::vector<std::string>&& items);
  // Stages a pop of up to max_items of the oldest items and returns them.
  std::vector<std::string> pop(std::size_t max_items);
  // The items pop(max_items) would return, removing nothing.
  std::vector<std::string> peek(std::size_t max_items);
  // Writes everything staged since the last commit as one write; throws if
  // that fails (the caller then rolls back).
  void commit();
  // Discards everything staged and reloads the state from the database.
  void rollback();
  // A FIFO queue has no timed work.
  std::chrono::steady_clock::time_point housekeep() const {
    return std::chrono::steady_clock::time_point::max();
  }

  std::size_t len() const { return static_cast<std::size_t>(count_); }
  std::uint64_t payload_size() const { return bytes_; }
  std::uint64_t disk_size() const { return db_.disk_size(); }
  const std::string& path() const { return db_.path(); }
  std::size_t max_elements() const { return max_elements_; }

 private:
  void load_meta();
  // Reads segments following the cached ones (from the database, or from
  // staged_) until the cache holds at least items_needed unconsumed items;
  // throws otherwise, leaving the queue's state unchanged.
  void load_segments(std::size_t items_needed);
  bool cache_is_complete() const { return head_seg_ + cache_.size() == tail_seg_; }

  Database db_;
  const std::size_t max_elements_;
  const std::size_t cache_budget_;

  // Durable state as of the last staged operation.
  std::uint64_t head_seg_ = 0;
  std::uint64_t head_off_ = 0;
  std::uint64_t tail_seg_ = 0;
  std::uint64_t count_ = 0;
  std::uint64_t bytes_ = 0;

  // Segments [head_seg_, head_seg_ + cache_.size()) in memory.
  std::deque<Segment> cache_;
  std::size_t cache_bytes_ = 0;
  std::size_t cache_items_ = 0;  // unconsumed items in cache_

  // Segments [tail_seg_ - staged_.size(), tail_seg_): pushed since the last
  // commit, neither in the database nor in cache_.  Those below are
  // committed or in cache_.
  std::deque<Segment> staged_;

  rocksdb::WriteBatch batch_;
  bool batch_pending_ = false;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_FIFO_STORE_HPP_
