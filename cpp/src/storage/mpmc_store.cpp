#include "mpmc_store.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <rocksdb/iterator.h>

#include "layout.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {

namespace {

using layout::index_key;
using layout::kIndexPrefix;
using layout::kLabelPrefix;
using layout::kMetaKey;
using layout::kSegmentPrefix;
using layout::kTtlKey;
using layout::label_key;
using layout::segment_key;
// Expiring more segments than this at once writes two range deletions
// instead of one tombstone per key: few range tombstones keep reads fast.
constexpr std::uint64_t kPointDeleteLimit = 1024;
// Expired payload worth compacting away, and how often at most.
constexpr std::uint64_t kReclaimBytes = std::uint64_t{1} << 20;
constexpr auto kReclaimInterval = std::chrono::seconds(10);
// Per-item bookkeeping counted against the memory budget.
constexpr std::size_t kItemOverhead = sizeof(std::string);

std::size_t cache_cost(const Segment& segment) {
  return static_cast<std::size_t>(segment.bytes) + segment.items.size() * kItemOverhead;
}

}  // namespace

// Wall-clock milliseconds (insertion times must survive restarts), rounded
// down for "now" and up for insertion times: nothing expires early.
std::uint64_t MpmcStore::now_ms(bool round_up) const {
  const auto us = clock_->now().count();
  if (us <= 0) return 0;
  return (static_cast<std::uint64_t>(us) + (round_up ? 999 : 0)) / 1000;
}

std::chrono::seconds checked_ttl(std::chrono::seconds ttl) {
  if (ttl.count() <= 0) {
    throw std::invalid_argument("rocksq: ttl must be a positive number of seconds, got " +
                                std::to_string(ttl.count()));
  }
  if (ttl.count() > kMaxTtlSeconds) {
    throw std::invalid_argument("rocksq: ttl must be at most " + std::to_string(kMaxTtlSeconds) +
                                " seconds, got " + std::to_string(ttl.count()));
  }
  return ttl;
}

MpmcStore::MpmcStore(const std::string& path, std::chrono::seconds ttl, const Options& options)
    : MpmcStore(Database(path, QueueKind::kMpmc, options), ttl, options) {}

MpmcStore::MpmcStore(Database db, std::chrono::seconds ttl, const Options& options)
    : db_(std::move(db)),
      ttl_(checked_ttl(ttl)),
      ttl_ms_(static_cast<std::uint64_t>(ttl.count()) * 1000),
      cache_budget_(options.memory_cache_bytes),
      clock_(options.clock ? options.clock : system_clock()),
      reclaimer_(db_.db()) {
  load_meta();
  load_labels();
  if (!db_.read_only()) record_ttl();
}

void MpmcStore::record_ttl() {
  // The TTL is the opener's choice; stored only so that rocksq info can show it.
  const std::string value = layout::encode_ttl(static_cast<std::uint64_t>(ttl_.count()));
  std::string stored;
  if (db_.get(kTtlKey, &stored, "open") && stored == value) return;
  rocksdb::WriteBatch batch;
  batch.Put(rocksdb::Slice(kTtlKey.data(), kTtlKey.size()), value);
  db_.write(&batch, "open");
}

void MpmcStore::corrupt(const char* operation, const std::string& what) const {
  throw CorruptionError(std::string("rocksq: ") + operation + " failed for " + db_.path() +
                        ": " + what);
}

void MpmcStore::load_meta() {
  head_seq_ = tail_seq_ = head_index_ = head_bytes_before_ = head_time_ms_ = 0;
  next_index_ = added_bytes_ = last_time_ms_ = last_count_ = 0;
  std::string value;
  if (!db_.get(kMetaKey, &value, "open")) return;
  layout::MpmcMeta m;
  if (!layout::decode(value, &m) || m.head_seq > m.tail_seq || m.head_index > m.next_index ||
      m.head_bytes_before > m.added_bytes ||
      (m.head_seq == m.tail_seq) != (m.head_index == m.next_index)) {
    corrupt("open", "the log's metadata is damaged");
  }
  head_seq_ = m.head_seq;
  tail_seq_ = m.tail_seq;
  head_index_ = m.head_index;
  head_bytes_before_ = m.head_bytes_before;
  head_time_ms_ = m.head_time_ms;
  next_index_ = m.next_index;
  added_bytes_ = m.added_bytes;
  last_time_ms_ = m.last_time_ms;
  last_count_ = m.last_count;
}

void MpmcStore::load_labels() {
  labels_.clear();
  rocksdb::ReadOptions read_options;
  const std::string upper = layout::prefix_upper(kLabelPrefix);
  const rocksdb::Slice upper_slice(upper);
  read_options.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(db_.db()->NewIterator(read_options));
  for (it->Seek(layout::prefix_lower(kLabelPrefix)); it->Valid(); it->Next()) {
    const rocksdb::Slice key = it->key();
    Cursor cursor;
    if (!layout::decode(std::string_view(it->value().data(), it->value().size()), &cursor) ||
        cursor.seq > tail_seq_) {
      corrupt("open", "the cursor of a label is damaged");
    }
    labels_.emplace(layout::label_of(std::string_view(key.data(), key.size())), cursor);
  }
  check(it->status(), db_.path(), "open");
}

bool MpmcStore::is_expired(std::uint64_t time_ms, std::uint64_t now) const {
  return time_ms + ttl_ms_ <= now;
}

MpmcStore::IndexEntry MpmcStore::read_index(std::uint64_t seq) const {
  const auto staged = staged_index_.find(seq);
  if (staged != staged_index_.end()) return staged->second;
  std::string value;
  if (!db_.get(index_key(seq), &value, "expire")) {
    corrupt("expire", "the index entry of segment " + std::to_string(seq) + " is missing");
  }
  IndexEntry entry;
  if (!layout::decode(value, &entry) || entry.count == 0) {
    corrupt("expire", "the index entry of segment " + std::to_string(seq) + " is damaged");
  }
  return entry;
}

void MpmcStore::add(std::vector<std::string>&& items) {
  if (items.empty()) return;
  check_item_sizes(items, db_.path(), "add");
  // Never earlier than the newest element: expired elements stay a prefix.
  const std::uint64_t time_ms = std::max(last_time_ms_, now_ms(true));
  const bool was_empty = head_seq_ == tail_seq_;
  for (const auto& [begin, end] : split_into_segments(items)) {
    segment_writer_.put(&batch_, segment_key(tail_seq_), items, begin, end);
    auto segment = std::make_shared<Segment>();
    segment->items.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      segment->bytes += items[i].size();
      segment->items.push_back(std::move(items[i]));
    }
    const IndexEntry entry{time_ms, end - begin, next_index_, added_bytes_};
    batch_.Put(index_key(tail_seq_), layout::encode(entry));
    staged_index_[tail_seq_] = entry;
    next_index_ += entry.count;
    added_bytes_ += segment->bytes;
    last_count_ = entry.count;
    staged_segments_[tail_seq_] = std::move(segment);
    ++tail_seq_;
  }
  if (was_empty) {
    head_time_ms_ = time_ms;
    // head_index_ and head_bytes_before_ already equal the first entry's.
  }
  last_time_ms_ = time_ms;
  staged_ = true;
  stage_meta();
}

void MpmcStore::expire() {
  if (head_seq_ == tail_seq_) return;
  const std::uint64_t now = now_ms();
  if (!is_expired(head_time_ms_, now)) return;
  // Invariant: segment lo has expired; segment hi has not (tail: none left).
  std::uint64_t lo = head_seq_;
  std::uint64_t hi = tail_seq_;
  IndexEntry hi_entry;
  for (std::uint64_t step = 1; lo + step < hi; step *= 2) {
    const IndexEntry entry = read_index(lo + step);
    if (!is_expired(entry.time_ms, now)) {
      hi = lo + step;
      hi_entry = entry;
      break;
    }
    lo += step;
  }
  while (hi - lo > 1) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    const IndexEntry entry = read_index(mid);
    if (is_expired(entry.time_ms, now)) {
      lo = mid;
    } else {
      hi = mid;
      hi_entry = entry;
    }
  }
  // Segments [head_seq_, hi) have expired.
  if (hi - head_seq_ <= kPointDeleteLimit) {
    // Each key is written once, so SingleDelete is enough.
    for (std::uint64_t seq = head_seq_; seq < hi; ++seq) {
      batch_.SingleDelete(segment_key(seq));
      batch_.SingleDelete(index_key(seq));
    }
  } else {
    batch_.DeleteRange(segment_key(head_seq_), segment_key(hi));
    batch_.DeleteRange(index_key(head_seq_), index_key(hi));
  }
  const std::uint64_t old_bytes_before = head_bytes_before_;
  if (hi == tail_seq_) {
    head_index_ = next_index_;
    head_bytes_before_ = added_bytes_;
    head_time_ms_ = 0;
  } else {
    head_index_ = hi_entry.first_index;
    head_bytes_before_ = hi_entry.bytes_before;
    head_time_ms_ = hi_entry.time_ms;
  }
  for (auto it = staged_segments_.begin(); it != staged_segments_.end() && it->first < hi;) {
    it = staged_segments_.erase(it);
  }
  cache_drop_below(hi);
  unreclaimed_bytes_ += head_bytes_before_ - old_bytes_before;
  head_seq_ = hi;
  staged_ = true;
  stage_meta();
}

MpmcStore::SteadyClock::time_point MpmcStore::expiry_due() const {
  if (head_seq_ == tail_seq_) return SteadyClock::time_point::max();
  const std::uint64_t due_ms = head_time_ms_ + ttl_ms_;
  const std::uint64_t now = now_ms();
  const auto steady_now = SteadyClock::now();
  if (due_ms <= now) return steady_now;
  const std::uint64_t wait_ms = due_ms - now;
  // Far-away deadlines are re-examined later anyway.
  constexpr std::uint64_t kLongest = std::uint64_t{1} << 40;
  return steady_now + std::chrono::milliseconds(std::min(wait_ms, kLongest));
}

MpmcStore::SteadyClock::time_point MpmcStore::housekeep() {
  expire();
  // At least every second: an add to an empty log makes a new deadline.
  return std::min(expiry_due(), SteadyClock::now() + std::chrono::seconds(1));
}

void MpmcStore::reclaim_space() {
  if (unreclaimed_bytes_ < kReclaimBytes || staged_) return;
  const auto now = SteadyClock::now();
  if (last_reclaim_ != SteadyClock::time_point{} && now < last_reclaim_ + kReclaimInterval) return;
  last_reclaim_ = now;
  unreclaimed_bytes_ = 0;
  reclaimer_.request({{layout::prefix_lower(kSegmentPrefix), segment_key(head_seq_)},
                      {layout::prefix_lower(kIndexPrefix), index_key(head_seq_)}});
}

MpmcStore::Read MpmcStore::read(const std::string* label, StartPosition start_position,
                                std::size_t max_items, const char* operation, bool durable) {
  expire();
  Read read;
  const auto found = label ? labels_.find(*label) : labels_.end();
  read.is_new = found == labels_.end();
  Cursor& cursor = read.cursor;
  if (!read.is_new) cursor = found->second;
  if (durable && !read.is_new) {
    // Where the label resumes after a reopen (a label never committed: as new).
    const auto moved = uncommitted_.find(*label);
    if (moved != uncommitted_.end()) {
      read.is_new = !moved->second.has_value();
      if (moved->second) cursor = *moved->second;
    }
  }
  if (read.is_new) {
    if (start_position == StartPosition::Oldest || head_seq_ == tail_seq_) {
      cursor = Cursor{head_seq_, 0};
      if (start_position == StartPosition::Newest) cursor.seq = tail_seq_;
    } else {
      cursor = Cursor{tail_seq_ - 1, last_count_ - 1};
    }
  }
  read.before = cursor;
  if (cursor.seq < head_seq_) {
    // Elements this label had not read were removed: report it once.
    read.result.expired = true;
    cursor = Cursor{head_seq_, 0};
  }
  std::vector<std::string>& items = read.result.items;
  while (items.size() < max_items && cursor.seq < tail_seq_) {
    const SegmentPtr seg = segment(cursor.seq);
    const std::size_t size = seg->items.size();
    if (cursor.offset >= size) {
      corrupt(operation, "the cursor of label '" + (label ? *label : "") + "' is damaged");
    }
    const std::size_t offset = static_cast<std::size_t>(cursor.offset);
    const std::size_t take = std::min(max_items - items.size(), size - offset);
    // Segments are shared by every label: copy, never move.
    const auto first = seg->items.begin() + static_cast<std::ptrdiff_t>(offset);
    items.insert(items.end(), first, first + static_cast<std::ptrdiff_t>(take));
    cursor.offset += take;
    if (cursor.offset == size) cursor = Cursor{cursor.seq + 1, 0};
  }
  return read;
}

NextResult MpmcStore::next(const std::string& label, StartPosition start_position,
                           std::size_t max_items, bool commit) {
  // Everything that can fail happens before the state changes.
  Read read = this->read(&label, start_position, max_items, "next");
  const bool moves = read.is_new || !(read.cursor == read.before);
  if (!commit) {
    if (moves && uncommitted_.count(label) == 0) {
      uncommitted_.emplace(label, read.is_new ? std::nullopt : std::optional(read.before));
    }
  } else {
    // Also commits the reads before it that did not.
    const bool had_uncommitted = uncommitted_.erase(label) != 0;
    if (moves || had_uncommitted) {
      batch_.Put(label_key(label), layout::encode(read.cursor));
      staged_ = true;
    }
  }
  if (moves) labels_[label] = read.cursor;
  return std::move(read.result);
}

void MpmcStore::commit_label(const std::string& label) {
  const auto found = labels_.find(label);
  if (found == labels_.end()) {
    throw std::invalid_argument("rocksq: commit failed for " + db_.path() + ": there is no label '" +
                                label + "'");
  }
  if (uncommitted_.erase(label) == 0) return;  // nothing to commit
  batch_.Put(label_key(label), layout::encode(found->second));
  staged_ = true;
}

NextResult MpmcStore::peek(const std::string& label, StartPosition start_position,
                           std::size_t max_items) {
  return read(&label, start_position, max_items, "peek", /*durable=*/true).result;
}

std::vector<std::string> MpmcStore::peek_oldest(std::size_t max_items) {
  return read(nullptr, StartPosition::Oldest, max_items, "peek").result.items;
}

std::vector<std::string> MpmcStore::labels() const {
  std::vector<std::string> out;
  out.reserve(labels_.size());
  for (const auto& entry : labels_) {
    const auto moved = uncommitted_.find(entry.first);
    if (moved == uncommitted_.end() || moved->second) out.push_back(entry.first);  // durable ones
  }
  return out;
}

bool MpmcStore::remove_label(const std::string& label) {
  const auto found = labels_.find(label);
  if (found == labels_.end()) return false;
  uncommitted_.erase(label);
  batch_.Delete(label_key(label));
  staged_ = true;
  labels_.erase(found);
  return true;
}

std::uint64_t MpmcStore::unread(const std::string& label) {
  expire();
  const auto found = labels_.find(label);
  if (found == labels_.end()) return 0;
  const Cursor& c = found->second;
  std::uint64_t index = head_index_;  // a cursor behind the head reads from it
  if (c.seq >= tail_seq_) {
    index = next_index_;
  } else if (c.seq >= head_seq_) {
    index = std::min(read_index(c.seq).first_index + c.offset, next_index_);
  }
  return next_index_ - index;
}

std::optional<std::uint64_t> MpmcStore::oldest_time_ms() {
  expire();
  if (head_seq_ == tail_seq_) return std::nullopt;
  return head_time_ms_;
}

std::size_t MpmcStore::len() {
  expire();
  return static_cast<std::size_t>(next_index_ - head_index_);
}

std::uint64_t MpmcStore::payload_size() {
  expire();
  return added_bytes_ - head_bytes_before_;
}

MpmcStore::SegmentPtr MpmcStore::segment(std::uint64_t seq) {
  const auto staged = staged_segments_.find(seq);
  if (staged != staged_segments_.end()) return staged->second;
  const auto cached = cache_.find(seq);
  if (cached != cache_.end()) {
    cache_lru_.splice(cache_lru_.end(), cache_lru_, cached->second.lru);
    return cached->second.segment;
  }
  std::string value;
  if (!db_.get(segment_key(seq), &value, "next")) {
    corrupt("next", "segment " + std::to_string(seq) + " is missing");
  }
  auto decoded = std::make_shared<Segment>();
  if (!decode_segment(value, decoded.get()) || decoded->items.empty()) {
    corrupt("next", "segment " + std::to_string(seq) + " is damaged");
  }
  SegmentPtr result = std::move(decoded);
  cache_insert(seq, result);
  return result;
}

void MpmcStore::cache_insert(std::uint64_t seq, SegmentPtr segment) {
  const std::size_t cost = cache_cost(*segment);
  if (cost > cache_budget_ || cache_.count(seq) != 0) return;
  while (cache_bytes_ + cost > cache_budget_ && !cache_lru_.empty()) {
    const auto victim = cache_.find(cache_lru_.front());
    cache_bytes_ -= cache_cost(*victim->second.segment);
    cache_.erase(victim);
    cache_lru_.pop_front();
  }
  cache_lru_.push_back(seq);
  cache_.emplace(seq, CacheEntry{std::move(segment), std::prev(cache_lru_.end())});
  cache_bytes_ += cost;
}

void MpmcStore::cache_drop_below(std::uint64_t seq) {
  const auto drop = [this](std::unordered_map<std::uint64_t, CacheEntry>::iterator it) {
    cache_bytes_ -= cache_cost(*it->second.segment);
    cache_lru_.erase(it->second.lru);
    return cache_.erase(it);
  };
  // Whichever is smaller: the expired segments or the cache.
  if (seq - head_seq_ <= cache_.size()) {
    for (std::uint64_t s = head_seq_; s < seq; ++s) {
      const auto it = cache_.find(s);
      if (it != cache_.end()) drop(it);
    }
    return;
  }
  for (auto it = cache_.begin(); it != cache_.end();) {
    it = it->first < seq ? drop(it) : std::next(it);
  }
}

void MpmcStore::cache_clear() {
  cache_.clear();
  cache_lru_.clear();
  cache_bytes_ = 0;
}

void MpmcStore::commit() {
  if (staged_) write_staged();
  reclaim_space();
}

void MpmcStore::write_staged() {
  if (meta_dirty_) {
    const std::string meta = layout::encode(
        layout::MpmcMeta{head_seq_, tail_seq_, head_index_, head_bytes_before_, head_time_ms_,
                         next_index_, added_bytes_, last_time_ms_, last_count_});
    batch_.Put(rocksdb::Slice(kMetaKey.data(), kMetaKey.size()), meta);
  }
  db_.write(&batch_, "write");
  clear_batch(&batch_);
  staged_ = false;
  meta_dirty_ = false;
  for (auto& [seq, segment] : staged_segments_) cache_insert(seq, std::move(segment));
  staged_segments_.clear();
  staged_index_.clear();
}

void MpmcStore::rollback() {
  clear_batch(&batch_);
  staged_ = false;
  meta_dirty_ = false;
  staged_segments_.clear();
  staged_index_.clear();
  cache_clear();
  load_meta();
  load_labels();
  uncommitted_.clear();  // those reads are delivered again
}

}  // namespace internal
}  // namespace rocksq
