// Inspection reads the storage layouts of fifo_store.hpp and mpmc_store.hpp
// through a RocksDB secondary instance: unlike OpenForReadOnly, which RocksDB
// leaves undefined while a primary has the database open, a secondary is
// meant to follow a live primary, and it takes no lock.
#include "rocksq/inspect.hpp"

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>

#include "database.hpp"
#include "layout.hpp"
#include "rocksq/error.hpp"
#include "segment.hpp"

namespace fs = std::filesystem;

namespace rocksq {

namespace {

namespace layout = internal::layout;
using layout::Cursor;
using layout::FifoMeta;
using layout::index_key;
using layout::kKindKey;
using layout::kLabelPrefix;
using layout::kMetaKey;
using layout::kTtlKey;
using layout::MpmcMeta;
using layout::segment_key;
using IndexEntry = layout::MpmcIndexEntry;

// The primary deletes files as it flushes and compacts; an open racing with
// that fails, and a new attempt sees the new files.
constexpr int kAttempts = 10;

// A read failure that a new attempt on fresh files may not hit.
struct Retry {
  rocksdb::Status status;
};

bool is_transient(const rocksdb::Status& status) {
  return status.IsIOError() || status.IsCorruption() || status.IsPathNotFound();
}

// A private directory for the secondary instance's own files.
class ScratchDir {
 public:
  ScratchDir() {
    std::string pattern = (fs::temp_directory_path() / "rocksq-inspect-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error("rocksq: cannot create a scratch directory in " +
                  fs::temp_directory_path().string());
    }
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A consistent view of one queue's database.
class Snapshot {
 public:
  Snapshot(rocksdb::DB* db, const std::string& path, const char* operation)
      : db_(db), path_(path), operation_(operation) {}

  // Reads key; false if missing.
  bool get(std::string_view key, std::string* value) const {
    const rocksdb::Status status =
        db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), value);
    if (status.IsNotFound()) return false;
    check(status);
    return true;
  }

  rocksdb::DB* db() const { return db_; }

  void check(const rocksdb::Status& status) const {
    if (status.ok()) return;
    if (is_transient(status)) throw Retry{status};
    internal::throw_status(status, path_, operation_);
  }

  [[noreturn]] void corrupt(const std::string& what) const {
    throw CorruptionError(std::string("rocksq: ") + operation_ + " failed for " + path_ + ": " +
                          what);
  }

  const std::string& path() const { return path_; }
  const char* operation() const { return operation_; }

 private:
  rocksdb::DB* db_;
  const std::string& path_;
  const char* operation_;
};

// An iterator over the keys in [lower, upper) of a snapshot.
class Range {
 public:
  Range(const Snapshot& snapshot, const std::string& lower, std::string upper)
      : upper_(std::move(upper)), upper_slice_(upper_) {
    rocksdb::ReadOptions options;
    options.iterate_upper_bound = &upper_slice_;
    it_.reset(snapshot.db()->NewIterator(options));
    it_->Seek(lower);
  }
  Range(const Range&) = delete;
  Range& operator=(const Range&) = delete;
  rocksdb::Iterator* operator->() const { return it_.get(); }

 private:
  const std::string upper_;
  const rocksdb::Slice upper_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

// Runs read(snapshot) on a secondary instance of the database at path.
template <typename Read>
auto read_snapshot(const std::string& path, const char* operation, Read read) {
  if (path.empty()) throw std::invalid_argument("rocksq: path must not be empty");
  std::error_code ec;
  if (!fs::exists(fs::path(path) / "CURRENT", ec)) {
    throw Error(std::string("rocksq: ") + operation + " failed for " + path +
                ": no queue there (no RocksDB database)");
  }
  rocksdb::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
    const ScratchDir scratch;
    rocksdb::Options options;
    // Opens every table file now: the primary may delete them meanwhile.
    options.max_open_files = -1;
    options.info_log_level = rocksdb::InfoLogLevel::ERROR_LEVEL;
    rocksdb::DB* raw = nullptr;
    last = rocksdb::DB::OpenAsSecondary(options, path, scratch.path(), &raw);
    if (!last.ok()) {
      if (is_transient(last)) continue;
      break;
    }
    const std::unique_ptr<rocksdb::DB> db(raw);
    try {
      Snapshot snapshot(db.get(), path, operation);
      return read(snapshot);
    } catch (const Retry& retry) {
      last = retry.status;
    }
  }
  internal::throw_status(last, path, operation);
}

std::string read_kind(const Snapshot& snapshot) {
  std::string kind;
  if (!snapshot.get(kKindKey, &kind)) {
    throw Error(std::string("rocksq: ") + snapshot.operation() + " failed for " +
                snapshot.path() + ": the database holds no rocksq queue");
  }
  if (kind != "fifo" && kind != "mpmc") snapshot.corrupt("unknown queue kind '" + kind + "'");
  return kind;
}

// ---- FIFO: "m" -> FifoMeta.

FifoMeta read_fifo_meta(const Snapshot& snapshot) {
  FifoMeta m;
  std::string value;
  if (!snapshot.get(kMetaKey, &value)) return m;
  if (!layout::decode(value, &m) || m.head_seg > m.tail_seg) {
    snapshot.corrupt("the queue's metadata is damaged");
  }
  return m;
}

// ---- MPMC: "m" -> MpmcMeta, "i" + seq -> MpmcIndexEntry, "l" + label ->
// Cursor, "t" -> the TTL in seconds it was last opened with.

std::uint64_t now_ms() {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  return ms > 0 ? static_cast<std::uint64_t>(ms) : 0;
}

// The log as a consumer would see it now: expired segments left out.
struct MpmcView {
  MpmcMeta meta;
  std::optional<std::chrono::seconds> ttl;
  std::uint64_t live_seq = 0;  // first segment not expired
  IndexEntry live;             // its index entry (if live_seq < tail_seq)
  std::map<std::string, Cursor> labels;
};

bool decode_index(const rocksdb::Slice& value, IndexEntry* e) {
  return layout::decode(std::string_view(value.data(), value.size()), e) && e->count > 0;
}

IndexEntry read_index(const Snapshot& snapshot, std::uint64_t seq) {
  std::string value;
  IndexEntry e;
  if (!snapshot.get(index_key(seq), &value) || !decode_index(value, &e)) {
    snapshot.corrupt("the index entry of segment " + std::to_string(seq) +
                     " is missing or damaged");
  }
  return e;
}

MpmcView read_mpmc(const Snapshot& snapshot) {
  MpmcView v;
  MpmcMeta& m = v.meta;
  std::string value;
  if (snapshot.get(kMetaKey, &value)) {
    if (!layout::decode(value, &m) || m.head_seq > m.tail_seq || m.head_index > m.next_index ||
        m.head_bytes_before > m.added_bytes) {
      snapshot.corrupt("the log's metadata is damaged");
    }
  }
  std::uint64_t ttl_seconds = 0;
  if (snapshot.get(kTtlKey, &value)) {
    if (!layout::decode_ttl(value, &ttl_seconds)) snapshot.corrupt("the recorded TTL is damaged");
    v.ttl = std::chrono::seconds(ttl_seconds);
  }
  // Expired segments the queue has not deleted yet are skipped, as a read
  // would (insertion times never decrease, so they are a prefix).
  v.live_seq = m.tail_seq;
  if (m.head_seq < m.tail_seq) {
    const std::uint64_t now = now_ms();
    const Range index(snapshot, index_key(m.head_seq), index_key(m.tail_seq));
    for (std::uint64_t seq = m.head_seq; seq < m.tail_seq; ++seq, index->Next()) {
      if (!index->Valid() || index->key() != rocksdb::Slice(index_key(seq)) ||
          !decode_index(index->value(), &v.live)) {
        snapshot.check(index->status());
        snapshot.corrupt("the index entry of segment " + std::to_string(seq) +
                         " is missing or damaged");
      }
      if (!v.ttl || v.live.time_ms + ttl_seconds * 1000 > now) {
        v.live_seq = seq;
        break;
      }
    }
  }
  const Range it(snapshot, layout::prefix_lower(kLabelPrefix),
                 layout::prefix_upper(kLabelPrefix));
  for (; it->Valid(); it->Next()) {
    Cursor c;
    const rocksdb::Slice key = it->key();
    if (!layout::decode(std::string_view(it->value().data(), it->value().size()), &c) ||
        c.seq > m.tail_seq) {
      snapshot.corrupt("the cursor of a label is damaged");
    }
    v.labels.emplace(layout::label_of(std::string_view(key.data(), key.size())), c);
  }
  snapshot.check(it->status());
  return v;
}

// Index of the element a cursor points at, clamped to the live elements.
std::uint64_t cursor_index(const Snapshot& snapshot, const MpmcView& v, const Cursor& c) {
  if (v.live_seq == v.meta.tail_seq || c.seq >= v.meta.tail_seq) return v.meta.next_index;
  if (c.seq < v.live_seq) return v.live.first_index;
  return std::min(read_index(snapshot, c.seq).first_index + c.offset, v.meta.next_index);
}

// Appends to out up to max_items items of segments [seq, tail), skipping the
// first offset items of segment seq.
void read_items(const Snapshot& snapshot, std::uint64_t seq, std::uint64_t offset,
                std::uint64_t tail, std::size_t max_items, std::vector<std::string>* out) {
  if (seq >= tail || max_items == 0) return;
  const Range it(snapshot, segment_key(seq), segment_key(tail));
  for (; it->Valid() && out->size() < max_items; it->Next(), ++seq, offset = 0) {
    internal::Segment segment;
    if (it->key() != rocksdb::Slice(segment_key(seq)) ||
        !internal::decode_segment(std::string_view(it->value().data(), it->value().size()),
                                  &segment)) {
      snapshot.corrupt("segment " + std::to_string(seq) + " is missing or damaged");
    }
    for (std::size_t i = static_cast<std::size_t>(offset);
         i < segment.items.size() && out->size() < max_items; ++i) {
      out->push_back(std::move(segment.items[i]));
    }
  }
  snapshot.check(it->status());
}

}  // namespace

QueueInfo inspect(const std::string& path) {
  QueueInfo info = read_snapshot(path, "inspect", [](Snapshot& snapshot) {
    QueueInfo info;
    info.kind = read_kind(snapshot);
    if (info.kind == "fifo") {
      const FifoMeta m = read_fifo_meta(snapshot);
      info.len = m.count;
      info.payload_size = m.bytes;
      return info;
    }
    const MpmcView v = read_mpmc(snapshot);
    const bool empty = v.live_seq == v.meta.tail_seq;
    info.len = empty ? 0 : v.meta.next_index - v.live.first_index;
    info.payload_size = empty ? 0 : v.meta.added_bytes - v.live.bytes_before;
    info.ttl = v.ttl;
    if (!empty) {
      const std::uint64_t now = now_ms();
      info.oldest_age =
          std::chrono::milliseconds(now > v.live.time_ms ? now - v.live.time_ms : 0);
    }
    for (const auto& [label, cursor] : v.labels) {
      info.labels.push_back({label, v.meta.next_index - cursor_index(snapshot, v, cursor)});
    }
    return info;
  });
  info.disk_size = internal::directory_size(path);
  return info;
}

std::vector<std::string> peek(const std::string& path, std::size_t max_items,
                              const std::string& label) {
  return read_snapshot(path, "peek", [&](Snapshot& snapshot) {
    std::vector<std::string> items;
    if (read_kind(snapshot) == "fifo") {
      if (!label.empty()) {
        throw std::invalid_argument("rocksq: peek failed for " + path +
                                    ": a FIFO queue has no labels (got label '" + label + "')");
      }
      const FifoMeta m = read_fifo_meta(snapshot);
      read_items(snapshot, m.head_seg, m.head_off, m.tail_seg,
                 static_cast<std::size_t>(std::min<std::uint64_t>(max_items, m.count)), &items);
      return items;
    }
    const MpmcView v = read_mpmc(snapshot);
    Cursor from{v.live_seq, 0};
    if (!label.empty()) {
      const auto found = v.labels.find(label);
      if (found == v.labels.end()) {
        std::string known;
        for (const auto& entry : v.labels) known += (known.empty() ? "" : ", ") + entry.first;
        throw std::invalid_argument("rocksq: peek failed for " + path + ": the log has no label '" +
                                    label + "' (labels: " + (known.empty() ? "none" : known) +
                                    ")");
      }
      if (found->second.seq >= v.live_seq) from = found->second;
    }
    read_items(snapshot, from.seq, from.offset, v.meta.tail_seq, max_items, &items);
    return items;
  });
}

}  // namespace rocksq
