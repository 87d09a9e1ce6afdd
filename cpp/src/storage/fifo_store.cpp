#include "fifo_store.hpp"

#include <algorithm>
#include <memory>
#include <string_view>
#include <utility>

#include <rocksdb/iterator.h>

#include "layout.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {

namespace {

using layout::kMetaKey;
using layout::segment_key;
// Per-item bookkeeping counted against the memory budget.
constexpr std::size_t kItemOverhead = sizeof(std::string);
// How much more than asked for a pop reads from the database at once.
constexpr std::size_t kReadAheadBytes = std::size_t{256} << 10;

std::size_t cache_cost(const Segment& segment) {
  return static_cast<std::size_t>(segment.bytes) + segment.items.size() * kItemOverhead;
}

}  // namespace

FifoStore::FifoStore(const std::string& path, std::size_t max_elements, const Options& options)
    : FifoStore(Database(path, QueueKind::kFifo, options), max_elements, options) {}

FifoStore::FifoStore(Database db, std::size_t max_elements, const Options& options)
    : db_(std::move(db)),
      max_elements_(max_elements),
      cache_budget_(options.memory_cache_bytes),
      clock_(options.clock ? options.clock : system_clock()) {
  load_meta();
  load_chunks();
}

void FifoStore::load_meta() {
  head_seg_ = head_off_ = tail_seg_ = count_ = bytes_ = 0;
  cache_.clear();
  cache_bytes_ = 0;
  cache_items_ = 0;
  staged_.clear();
  std::string value;
  if (!db_.get(kMetaKey, &value, "open")) return;
  layout::FifoMeta m;
  if (!layout::decode(value, &m) || m.head_seg > m.tail_seg ||
      (m.count == 0) != (m.head_seg == m.tail_seg)) {
    throw CorruptionError("rocksq: open failed for " + db_.path() +
                          ": the queue's metadata is damaged");
  }
  head_seg_ = m.head_seg;
  head_off_ = m.head_off;
  tail_seg_ = m.tail_seg;
  count_ = m.count;
  bytes_ = m.bytes;
}

void FifoStore::push(std::vector<std::string>&& items) {
  if (items.empty()) return;
  check_item_sizes(items, db_.path(), "push");
  if (len() + items.size() > max_elements_) {
    throw QueueFullError("rocksq: push failed for " + db_.path() + ": the queue holds " +
                         std::to_string(len()) + " of at most " +
                         std::to_string(max_elements_) + " items (max_elements); pushing " +
                         std::to_string(items.size()) + " more would exceed it");
  }
  for (const auto& [begin, end] : split_into_segments(items)) {
    segment_writer_.put(&batch_, segment_key(tail_seg_), items, begin, end);
    batch_pending_ = true;
    Segment segment;
    segment.items.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      segment.bytes += items[i].size();
      segment.items.push_back(std::move(items[i]));
    }
    count_ += end - begin;
    bytes_ += segment.bytes;
    const std::size_t cost = cache_cost(segment);
    if (cache_is_complete() && cache_bytes_ + cost <= cache_budget_) {
      cache_bytes_ += cost;
      cache_items_ += segment.items.size();
      cache_.push_back(std::move(segment));
    } else {
      staged_.push_back(std::move(segment));
    }
    ++tail_seg_;
  }
}

std::vector<std::string> FifoStore::pop(std::size_t max_items) {
  if (available_.empty() && leases_.empty()) return pop_segments(max_items);
  expire_leases();
  std::vector<std::string> out = pop_chunks(max_items);  // available chunks come first
  std::vector<std::string> rest = pop_segments(max_items - out.size());
  if (out.empty()) return rest;
  out.insert(out.end(), std::make_move_iterator(rest.begin()),
             std::make_move_iterator(rest.end()));
  return out;
}

std::vector<std::string> FifoStore::pop_segments(std::size_t max_items) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(max_items, count_));
  std::vector<std::string> out;
  if (n == 0) return out;
  // Everything that can fail happens before the state changes.
  if (cache_items_ < n) load_segments(n);
  out.reserve(n);
  while (out.size() < n) {
    Segment& segment = cache_.front();
    const std::size_t available = segment.items.size() - static_cast<std::size_t>(head_off_);
    const std::size_t take = std::min(n - out.size(), available);
    for (std::size_t i = 0; i < take; ++i) {
      std::string& item = segment.items[static_cast<std::size_t>(head_off_) + i];
      bytes_ -= item.size();
      out.push_back(std::move(item));
    }
    head_off_ += take;
    count_ -= take;
    cache_items_ -= take;
    if (head_off_ == segment.items.size()) {
      // Each segment key is written once, so SingleDelete is enough.
      batch_.SingleDelete(segment_key(head_seg_));
      cache_bytes_ -= cache_cost(segment);
      cache_.pop_front();
      ++head_seg_;
      head_off_ = 0;
    }
  }
  batch_pending_ = true;
  return out;
}

std::vector<std::string> FifoStore::peek(std::size_t max_items) {
  std::vector<std::string> out;
  if (!leases_.empty()) expire_leases();
  for (auto chunk = available_.begin(); chunk != available_.end() && out.size() < max_items;
       ++chunk) {
    const std::size_t take = std::min(max_items - out.size(), chunk->second.size());
    out.insert(out.end(), chunk->second.items->begin(),
               chunk->second.items->begin() + static_cast<std::ptrdiff_t>(take));
  }
  const std::size_t from_segments =
      static_cast<std::size_t>(std::min<std::uint64_t>(max_items - out.size(), count_));
  if (from_segments == 0) return out;
  if (cache_items_ < from_segments) load_segments(from_segments);
  const std::size_t n = out.size() + from_segments;
  out.reserve(n);
  std::size_t offset = static_cast<std::size_t>(head_off_);
  for (auto segment = cache_.begin(); out.size() < n; ++segment, offset = 0) {
    const std::size_t take = std::min(n - out.size(), segment->items.size() - offset);
    const auto first = segment->items.begin() + static_cast<std::ptrdiff_t>(offset);
    out.insert(out.end(), first, first + static_cast<std::ptrdiff_t>(take));
  }
  return out;
}

void FifoStore::load_segments(std::size_t items_needed) {
  std::uint64_t seg = head_seg_ + cache_.size();
  // Segments from here on are staged (see staged_), the others committed.
  const std::uint64_t first_staged = tail_seg_ - staged_.size();
  rocksdb::ReadOptions read_options;
  const std::string upper = segment_key(first_staged);
  const rocksdb::Slice upper_slice(upper);
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it;
  // Read ahead a little: the next pops will want the following segments.
  std::size_t read_ahead_bytes = 0;
  while (seg < tail_seg_ &&
         (cache_items_ < items_needed || read_ahead_bytes < kReadAheadBytes)) {
    Segment segment;
    const std::size_t skipped = seg == head_seg_ ? static_cast<std::size_t>(head_off_) : 0;
    if (seg >= first_staged) {
      segment = std::move(staged_.front());
      staged_.pop_front();
    } else {
      if (!it) {
        it.reset(db_.db()->NewIterator(read_options));
        it->Seek(segment_key(seg));
      }
      if (!it->Valid() || it->key() != rocksdb::Slice(segment_key(seg))) {
        check(it->status(), db_.path(), "pop");
        throw CorruptionError("rocksq: pop failed for " + db_.path() + ": segment " +
                              std::to_string(seg) + " is missing");
      }
      const rocksdb::Slice value = it->value();
      if (!decode_segment(std::string_view(value.data(), value.size()), &segment) ||
          segment.items.size() <= skipped) {
        throw CorruptionError("rocksq: pop failed for " + db_.path() + ": segment " +
                              std::to_string(seg) + " is damaged");
      }
      it->Next();
    }
    cache_items_ += segment.items.size() - skipped;
    if (cache_items_ >= items_needed) read_ahead_bytes += cache_cost(segment);
    cache_bytes_ += cache_cost(segment);
    cache_.push_back(std::move(segment));
    ++seg;
  }
  if (cache_items_ < items_needed) {
    throw CorruptionError("rocksq: pop failed for " + db_.path() +
                          ": the stored items are fewer than the queue's length");
  }
}

void FifoStore::commit() {
  if (!batch_pending_) {
    undo_.clear();  // a release writes nothing
    return;
  }
  const std::string meta =
      layout::encode(layout::FifoMeta{head_seg_, head_off_, tail_seg_, count_, bytes_});
  batch_.Put(rocksdb::Slice(kMetaKey.data(), kMetaKey.size()), meta);
  db_.write(&batch_, "write");
  clear_batch(&batch_);
  batch_pending_ = false;
  staged_.clear();  // now in the database
  undo_.clear();
}

void FifoStore::rollback() {
  clear_batch(&batch_);
  batch_pending_ = false;
  load_meta();
  if (!undo_.empty()) {
    for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) (*it)();
    undo_.clear();
    chunk_items_ = saved_counters_.chunk_items;
    chunk_bytes_ = saved_counters_.chunk_bytes;
    available_chunk_items_ = saved_counters_.available_chunk_items;
  }
}

}  // namespace internal
}  // namespace rocksq
