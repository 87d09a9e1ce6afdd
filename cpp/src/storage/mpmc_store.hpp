// MpmcStore: the storage of an MPMC log, not thread-safe.
//
// Layout in RocksDB (see layout.hpp): "m" meta, "d" + seq segments (each the
// items of (part of) one add), "i" + seq their index entries, "l" + label the
// labels' cursors, "t" the TTL of the last open.
//
// Insertion times never decrease (max(previous, now)), so what has expired
// is always a prefix of whole segments.  Expiry compares the head's time with
// the clock (O(1)); when the head has expired it finds the first live segment
// by galloping over index entries (O(log expired)) and deletes the prefix.
//
// Operations are staged like FifoStore's: they change the in-memory state
// and add to a pending WriteBatch; commit() writes them as one RocksDB write
// and rollback() reloads the state from the database.
//
// A read with commit = false moves its label's cursor in memory only
// (labels_), keeping the durable one in uncommitted_ until commit_label();
// what shows a label from outside (labels, peek, inspection) shows the
// durable cursor.  A rollback forgets uncommitted moves: those reads are
// delivered again.
#ifndef ROCKSQ_SRC_STORAGE_MPMC_STORE_HPP_
#define ROCKSQ_SRC_STORAGE_MPMC_STORE_HPP_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <rocksdb/write_batch.h>

#include "database.hpp"
#include "layout.hpp"
#include "reclaimer.hpp"
#include "rocksq/clock.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "rocksq/options.hpp"
#include "rocksq/start_position.hpp"
#include "segment.hpp"

namespace rocksq {
namespace internal {

// Checks 0 < ttl <= kMaxTtlSeconds; throws std::invalid_argument otherwise.
std::chrono::seconds checked_ttl(std::chrono::seconds ttl);

class MpmcStore {
 public:
  using SteadyClock = std::chrono::steady_clock;

  MpmcStore(const std::string& path, std::chrono::seconds ttl, const Options& options);
  // The store of an open database (e.g. Database::secondary, for reading:
  // then the TTL is not recorded).
  MpmcStore(Database db, std::chrono::seconds ttl, const Options& options);

  MpmcStore(const MpmcStore&) = delete;
  MpmcStore& operator=(const MpmcStore&) = delete;

  // Stages an append of items (nothing if empty).
  void add(std::vector<std::string>&& items);
  // Stages the cursor move of a read and returns what was read; with commit
  // false, the move stays in memory until commit_label(label).
  NextResult next(const std::string& label, StartPosition start_position,
                  std::size_t max_items, bool commit = true);
  // Stages the durable move of label's cursor to where its reads left it.
  // Throws std::invalid_argument if there is no such label.
  void commit_label(const std::string& label);
  // What next() would return after a reopen (from the durable cursor),
  // moving no cursor and creating no label.
  NextResult peek(const std::string& label, StartPosition start_position,
                  std::size_t max_items);
  // Up to max_items of the oldest elements held.
  std::vector<std::string> peek_oldest(std::size_t max_items);
  std::vector<std::string> labels() const;
  // Elements label has not read yet (0 for no label).
  std::uint64_t unread(const std::string& label);
  // The insertion time of the oldest element held, in ms since the epoch
  // (expired ones removed first); nothing if the log is empty.
  std::optional<std::uint64_t> oldest_time_ms();
  // Stages the removal of label; false if it does not exist.
  bool remove_label(const std::string& label);

  // These first remove what has expired.
  std::size_t len();
  std::uint64_t payload_size();
  std::uint64_t disk_size() const { return db_.disk_size(); }

  // Stages the removal of the expired prefix of the log.  O(1) when nothing
  // has expired.
  void expire();
  // When the oldest element held expires (time_point::max() if none).
  SteadyClock::time_point expiry_due() const;
  // Timed work: expire(), and when to come back (at most a second later).
  SteadyClock::time_point housekeep();
  // Its ticks schedule themselves (at least every second).
  SteadyClock::time_point housekeep_due() const { return SteadyClock::time_point::max(); }

  // Writes everything staged since the last commit as one write; throws if
  // that fails (the caller then rolls back).  Then, once enough has expired
  // (and at most every few seconds), compacts the deleted ranges in the
  // background.
  void commit();
  // Discards everything staged and reloads the state from the database.
  void rollback();

  const std::string& path() const { return db_.path(); }
  std::chrono::seconds ttl() const { return ttl_; }

 private:
  using Cursor = layout::Cursor;
  using IndexEntry = layout::MpmcIndexEntry;
  using SegmentPtr = std::shared_ptr<const Segment>;

  // A read from label's cursor (or where a new label would start).
  struct Read {
    NextResult result;
    Cursor cursor;  // after the read
    Cursor before;  // before it
    bool is_new = false;
  };
  // label null: as a new label would; durable: from its durable cursor.
  Read read(const std::string* label, StartPosition start_position, std::size_t max_items,
            const char* operation, bool durable = false);
  void write_staged();
  void reclaim_space();
  std::uint64_t now_ms(bool round_up = false) const;
  void load_meta();
  void load_labels();
  void record_ttl();
  void stage_meta() { meta_dirty_ = true; }
  bool is_expired(std::uint64_t time_ms, std::uint64_t now_ms) const;
  IndexEntry read_index(std::uint64_t seq) const;
  // The segment seq (head <= seq < tail), from memory or the database.
  SegmentPtr segment(std::uint64_t seq);
  void cache_insert(std::uint64_t seq, SegmentPtr segment);
  void cache_drop_below(std::uint64_t seq);
  void cache_clear();
  [[noreturn]] void corrupt(const char* operation, const std::string& what) const;

  Database db_;
  const std::chrono::seconds ttl_;
  const std::uint64_t ttl_ms_;
  const std::size_t cache_budget_;
  const std::shared_ptr<const Clock> clock_;

  // State as of the last staged operation.
  std::uint64_t head_seq_ = 0;
  std::uint64_t tail_seq_ = 0;
  std::uint64_t head_index_ = 0;         // index of the head's first element
  std::uint64_t head_bytes_before_ = 0;  // bytes added before it
  std::uint64_t head_time_ms_ = 0;       // its insertion time
  std::uint64_t next_index_ = 0;         // elements ever added
  std::uint64_t added_bytes_ = 0;        // bytes ever added
  std::uint64_t last_time_ms_ = 0;       // newest insertion time
  std::uint64_t last_count_ = 0;         // items in segment tail - 1
  std::map<std::string, Cursor> labels_;  // with reads not committed yet
  // Labels read with commit = false since their last durable move: their
  // durable cursor (none: the label is not in the database yet).
  std::map<std::string, std::optional<Cursor>> uncommitted_;

  // Segments and index entries staged and not yet committed.
  std::map<std::uint64_t, SegmentPtr> staged_segments_;
  std::map<std::uint64_t, IndexEntry> staged_index_;

  // Recently added or read segments, least recently used first.
  struct CacheEntry {
    SegmentPtr segment;
    std::list<std::uint64_t>::iterator lru;
  };
  std::unordered_map<std::uint64_t, CacheEntry> cache_;
  std::list<std::uint64_t> cache_lru_;
  std::size_t cache_bytes_ = 0;

  rocksdb::WriteBatch batch_;
  SegmentWriter segment_writer_;
  bool staged_ = false;
  bool meta_dirty_ = false;

  std::uint64_t unreclaimed_bytes_ = 0;  // payload expired since the last reclaim
  SteadyClock::time_point last_reclaim_{};
  Reclaimer reclaimer_;  // after db_: stopped before the database closes
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_MPMC_STORE_HPP_
