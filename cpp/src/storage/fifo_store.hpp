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
//
// Leases (fifo_leases.cpp): reserve moves items out of the segments into a
// chunk, stored under "r" (layout.hpp) and held by a lease in memory; ack
// deletes the chunk, release (or the lease's end) makes it available again.
// Available chunks come before the segments, in the items' order.  A chunk
// in the database is available when the store opens: leases live in memory
// only, so reopening releases them all.  What a failed group did to the
// lease state is undone from undo_.
#ifndef ROCKSQ_SRC_STORAGE_FIFO_STORE_HPP_
#define ROCKSQ_SRC_STORAGE_FIFO_STORE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <rocksdb/write_batch.h>

#include "database.hpp"
#include "layout.hpp"
#include "rocksq/lease.hpp"
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

  // Stages the reservation of up to max_items of the oldest unreserved
  // items under a new lease lasting duration (fifo_leases.cpp).
  Reservation reserve(std::size_t max_items, std::chrono::milliseconds duration);
  // Stages the removal of a lease's items; throws LeaseError, staging
  // nothing, if the lease is not open.
  void ack(LeaseId lease);
  // Makes a lease's items available again, ahead of the others; throws
  // LeaseError, changing nothing, if the lease is not open.
  void release(LeaseId lease);
  // Items under a lease.
  std::size_t reserved();
  // Items that pop or reserve could take now.
  std::size_t available();

  // Writes everything staged since the last commit as one write; throws if
  // that fails (the caller then rolls back).
  void commit();
  // Discards everything staged and reloads the state from the database.
  void rollback();
  // Ends the leases whose time is up; returns when the next one ends.
  std::chrono::steady_clock::time_point housekeep();
  // When housekeep() is next due (max: never).
  std::chrono::steady_clock::time_point housekeep_due() const;

  std::size_t len() const { return static_cast<std::size_t>(count_ + chunk_items_); }
  std::uint64_t payload_size() const { return bytes_ + chunk_bytes_; }
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
  std::vector<std::string> pop_segments(std::size_t max_items);

  // Leases (fifo_leases.cpp).
  using ChunkKey = layout::ChunkKey;
  struct Chunk {
    std::shared_ptr<const std::vector<std::string>> items;  // shared with undo_
    std::uint64_t bytes = 0;
    std::uint64_t deliveries = 0;
    std::size_t size() const { return items->size(); }
  };
  struct Lease {
    std::vector<std::pair<ChunkKey, Chunk>> chunks;
    std::int64_t deadline_us = 0;  // clock_ time
  };
  void load_chunks();
  std::int64_t now_us() const;
  void expire_leases();
  // Takes up to max_items available chunk items, oldest first, staging the
  // change of their records; appends them to *out (if not null).
  std::vector<std::pair<ChunkKey, Chunk>> take_chunks(std::size_t max_items,
                                                      std::vector<std::string>* out);
  void put_chunk_record(const ChunkKey& key, const Chunk& chunk);
  // Stages the removal of up to max_items available chunk items; returns them.
  std::vector<std::string> pop_chunks(std::size_t max_items);
  // Lease state changes, each undone by rollback() unless committed.
  void set_available(const ChunkKey& key, Chunk chunk);
  void erase_available(const ChunkKey& key);
  void add_lease(LeaseId id, Lease lease);
  Lease remove_lease(LeaseId id);
  void save_counters();
  [[noreturn]] void lease_error(LeaseId id, const char* operation) const;

  std::map<ChunkKey, Chunk> available_;  // chunks not under a lease
  std::unordered_map<std::uint64_t, Lease> leases_;
  std::set<std::pair<std::int64_t, std::uint64_t>> deadlines_;  // (deadline_us, lease)
  std::uint64_t chunk_items_ = 0;  // items in chunks, under a lease or not
  std::uint64_t chunk_bytes_ = 0;
  std::uint64_t available_chunk_items_ = 0;
  std::uint64_t next_lease_ = 0;
  struct Counters {
    std::uint64_t chunk_items, chunk_bytes, available_chunk_items;
  };
  Counters saved_counters_{};
  std::vector<std::function<void()>> undo_;  // since the last commit, in order

  Database db_;
  const std::size_t max_elements_;
  const std::size_t cache_budget_;
  const std::shared_ptr<const Clock> clock_;  // where leases read the time

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
  SegmentWriter segment_writer_;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_FIFO_STORE_HPP_
