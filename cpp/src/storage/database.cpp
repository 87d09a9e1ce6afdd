#include "database.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/convenience.h>

#include "layout.hpp"
#include "rocksq/error.hpp"

namespace fs = std::filesystem;

namespace rocksq {
namespace internal {

namespace {

using layout::kKindKey;

// Databases open in this process, by absolute path.  RocksDB's own lock only
// reports "No locks available"; this gives a clear error first.
std::mutex& open_paths_mutex() {
  static std::mutex m;
  return m;
}
std::set<std::string>& open_paths() {
  static std::set<std::string> paths;
  return paths;
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return path;
  return p.lexically_normal().string();
}

void register_open(const std::string& key, const std::string& path) {
  std::lock_guard<std::mutex> lock(open_paths_mutex());
  if (!open_paths().insert(key).second) {
    throw AlreadyOpenError("rocksq: cannot open " + path +
                           ": the queue is already open in this process");
  }
}

void unregister_open(const std::string& key) {
  std::lock_guard<std::mutex> lock(open_paths_mutex());
  open_paths().erase(key);
}

bool is_open_here(const std::string& key) {
  std::lock_guard<std::mutex> lock(open_paths_mutex());
  return open_paths().count(key) != 0;
}

rocksdb::CompressionType best_compression() {
  for (const auto type : {rocksdb::kLZ4Compression, rocksdb::kSnappyCompression}) {
    for (const auto supported : rocksdb::GetSupportedCompressions()) {
      if (supported == type) return type;
    }
  }
  return rocksdb::kNoCompression;
}

// See database_options(); Database::sync_before_log_switch switches logs
// before RocksDB would: RocksDB never flushes a memtable using less than its
// size minus 0.6 arena blocks (an eighth of it each).
constexpr std::size_t kWriteBufferBytes = std::size_t{16} << 20;
constexpr std::size_t kSwitchLogAtBytes = kWriteBufferBytes * 7 / 8;
static_assert(kSwitchLogAtBytes < kWriteBufferBytes - kWriteBufferBytes / 8 * 6 / 10);

// Memtable insert hints for keys whose first byte is in `prefixes`: keys of
// one prefix are appended in order or rewritten, so the next insert lands
// next to the last one.  RocksDB 7.8 shares these hints with the memtable of
// range tombstones (later versions do not), so a hinted prefix must never
// begin a DeleteRange: that corrupts the memtable.
class HintPrefix final : public rocksdb::SliceTransform {
 public:
  explicit HintPrefix(std::string prefixes) : prefixes_(std::move(prefixes)) {}
  const char* Name() const override { return "rocksq.HintPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), 1);
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return !key.empty() && prefixes_.find(key[0]) != std::string::npos;
  }

 private:
  const std::string prefixes_;
};

// FIFO: "m" meta and "d" segments (it never deletes ranges).  MPMC: "m" meta
// and "l" cursors; its "d" and "i" keys are deleted by range.
const char* hinted_prefixes(QueueKind kind) { return kind == QueueKind::kFifo ? "md" : "ml"; }

rocksdb::Options database_options(QueueKind kind) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.paranoid_checks = true;
  // A kill -9 can only cut the last record of the write-ahead log short;
  // damage anywhere else must be reported, not skipped: the default
  // (kPointInTimeRecovery) silently drops every write after it.
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  options.compression = best_compression();
  // Queue data is written once and deleted soon: small memtables flushed
  // often keep memory and the write-ahead log small (16 MiB rather than 32:
  // peak RSS at 2M items 96-124 -> 78-89 MiB, disk after 2M items of churn
  // 30 -> 1-17 MiB, throughput unchanged).
  options.write_buffer_size = kWriteBufferBytes;
  options.max_write_buffer_number = 2;
  options.max_total_wal_size = std::uint64_t{64} << 20;
  options.keep_log_file_num = 2;
  options.max_log_file_size = std::size_t{1} << 20;
  options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  // One thread writes (the queue's worker), to keys that grow (segments) or
  // repeat (metadata, cursors): inserting next to the last key of the same
  // prefix skips most of the memtable's skiplist search (compares: ~20% of a
  // round trip's profile -> ~4%).  Hints need one writer at a time.
  options.allow_concurrent_memtable_write = false;
  options.memtable_insert_with_hint_prefix_extractor =
      std::make_shared<HintPrefix>(hinted_prefixes(kind));
  rocksdb::BlockBasedTableOptions table;
  table.block_size = 64 * 1024;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

// Only a lock held elsewhere: "While lock file: ...: Resource temporarily
// unavailable" (another process) or "lock hold by current process".  Other
// failures on the LOCK file (e.g. "while open a file for lock: ...: Is a
// directory") are not AlreadyOpenError.
bool is_lock_error(const rocksdb::Status& status) {
  const std::string text = status.ToString();
  return status.IsIOError() && (text.find("While lock file") != std::string::npos ||
                                text.find("lock hold by current process") != std::string::npos);
}

// True if directory holds nothing but (perhaps) our lock file.
bool holds_nothing_else(const std::string& path) {
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().filename() != kLockFileName) return false;
  }
  return !ec;
}

// True if path holds RocksDB table files, i.e. data that was flushed.
bool holds_table_files(const std::string& path) {
  std::error_code ec;
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".sst") return true;
  }
  return false;
}

}  // namespace

PathClaim::PathClaim(const std::string& path) : key_("claim:" + absolute_path(path)) {
  if (is_open_in_this_process(path)) {
    throw AlreadyOpenError("rocksq: cannot open " + path +
                           ": the queue is already open in this process");
  }
  register_open(key_, path);
}

PathClaim::~PathClaim() { unregister_open(key_); }

bool is_open_in_this_process(const std::string& path) {
  const std::string key = absolute_path(path);
  return is_open_here(key) || is_open_here("claim:" + key);
}

const char* kind_name(QueueKind kind) {
  return kind == QueueKind::kFifo ? "fifo" : "mpmc";
}

[[noreturn]] void throw_status(const rocksdb::Status& status, const std::string& path,
                               const char* operation) {
  std::string message =
      std::string("rocksq: ") + operation + " failed for " + path + ": " + status.ToString();
  if (status.IsCorruption()) throw CorruptionError(message);
  if (is_no_space(status)) throw DiskFullError(message);
  if (is_lock_error(status)) {
    throw AlreadyOpenError(std::string("rocksq: cannot open ") + path +
                           ": the queue is already open in another process (" +
                           status.ToString() + ")");
  }
  throw Error(message);
}

void check_path(const std::string& path) {
  if (path.empty()) throw std::invalid_argument("rocksq: path must not be empty");
  const auto nul = path.find('\0');
  if (nul != std::string::npos) {
    throw std::invalid_argument("rocksq: path must not contain a NUL byte (embedded null byte at "
                                "offset " + std::to_string(nul) + " of " +
                                path.substr(0, nul) + "\\0...)");
  }
}

Database::Database(const std::string& path, QueueKind kind, const Options& options)
    : path_(path) {
  check_path(path);
  registered_path_ = absolute_path(path);
  register_open(registered_path_, path);
  try {
    // Before RocksDB creates anything: two processes creating a new queue
    // at once would see each other's half-made database.
    lock_ = DirectoryLock(path);
    lock_.mark(options.shared);
    std::error_code ec;
    // Without CURRENT RocksDB would start an empty database beside whatever
    // is there: refuse a directory holding files but no CURRENT.
    if (!fs::exists(fs::path(path) / "CURRENT", ec) && !holds_nothing_else(path)) {
      lock_.remove_file();
      throw CorruptionError("rocksq: cannot open " + path +
                            ": the directory holds files but no CURRENT file: it is not a "
                            "queue, or a damaged one");
    }
    const bool had_tables = holds_table_files(path);
    rocksdb::Options db_options = database_options(kind);
    db_options.listeners.push_back(std::make_shared<NoSpaceListener>(resume_wanted_));
    if (options.env) db_options.env = options.env.get();
    env_ = options.env;
    rocksdb::DB* raw = nullptr;
    check(rocksdb::DB::Open(db_options, path, &raw), path, "open");
    db_.reset(raw);
    write_options_.sync = options.durable;
    space_ = DiskSpace(path);

    std::string stored;
    if (get(kKindKey, &stored, "open")) {
      if (stored != kind_name(kind)) {
        throw Error("rocksq: cannot open " + path + " as a " + kind_name(kind) +
                    " queue: it holds a " + stored + " queue");
      }
    } else if (had_tables) {
      // Table files but no kind key: the MANIFEST that listed them was cut
      // short (RocksDB takes that for a crash): the queue's data is lost.
      throw CorruptionError("rocksq: open failed for " + path +
                            ": the database lost its queue metadata (damaged MANIFEST?)");
    } else {
      rocksdb::WriteBatch batch;
      batch.Put(rocksdb::Slice(kKindKey.data(), kKindKey.size()), kind_name(kind));
      write(&batch, "open");
    }
  } catch (...) {
    if (db_) db_->Close().PermitUncheckedError();
    db_.reset();
    lock_ = DirectoryLock();
    unregister_open(registered_path_);
    throw;
  }
}

void Database::close_keeping_lock() {
  if (db_) check(db_->Close(), path_, "close");
  db_.reset();
}

Database::~Database() {
  if (db_) {
    // Flush nothing: the WAL holds every acknowledged write already.
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
  // Unlocked first: closing a descriptor of the lock file after another
  // thread of this process locked it anew would release that lock too.
  lock_ = DirectoryLock();
  if (!registered_path_.empty()) unregister_open(registered_path_);
}

void Database::write(rocksdb::WriteBatch* batch, const char* operation) {
  // RocksDB refuses writes after failing for lack of space until resumed
  // (which flushes its memtable: it fails while the disk is still full,
  // and the write below then reports that).
  if (resume_wanted_->load() && db_->Resume().ok()) resume_wanted_->store(false);
  space_.before_write(db_.get(), *batch);
  if (!write_options_.sync) sync_before_log_switch(batch->GetDataSize(), operation);
  const rocksdb::Status status = db_->Write(write_options_, batch);
  if (is_no_space(status)) {
    resume_wanted_->store(true);
    space_.exhausted();
  }
  check(status, path_, operation);
}

// RocksDB starts a new log when it flushes the memtable, without syncing
// the old one: a power loss could keep writes of the new log and lose
// earlier ones of the old (a hole, not a prefix: the queue would be broken).
// So, when writes do not sync, the queue syncs the log and switches to a new
// one itself (a flush), shortly before RocksDB would (at ~15 MiB).
void Database::sync_before_log_switch(std::size_t bytes, const char* operation) {
  constexpr std::uint64_t kCheckEvery = std::uint64_t{128} << 10;
  bytes_since_switch_check_ += bytes;
  if (bytes_since_switch_check_ < kCheckEvery) return;
  bytes_since_switch_check_ = 0;
  std::uint64_t memtable = 0;
  if (!db_->GetIntProperty(rocksdb::DB::Properties::kCurSizeActiveMemTable, &memtable) ||
      memtable < kSwitchLogAtBytes) {
    return;
  }
  check(db_->SyncWAL(), path_, operation);
  rocksdb::FlushOptions flush;
  flush.wait = false;
  flush.allow_write_stall = true;
  check(db_->Flush(flush), path_, operation);
}

bool Database::get(std::string_view key, std::string* value, const char* operation) const {
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), rocksdb::Slice(key.data(), key.size()), value);
  if (status.IsNotFound()) return false;
  check(status, path_, operation);
  return true;
}

std::uint64_t Database::disk_size() const { return directory_size(path_); }

std::uint64_t directory_size(const std::string& path) {
  std::uint64_t total = 0;
  std::error_code ec;
  // Files may vanish while compaction runs; skip those.
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code file_ec;
    if (it->is_regular_file(file_ec)) {
      const auto size = it->file_size(file_ec);
      if (!file_ec) total += size;
    }
  }
  return total;
}

void remove_database(const std::string& path, QueueKind kind) {
  check_path(path);
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  if (is_open_here(absolute_path(path))) {
    throw AlreadyOpenError("rocksq: cannot remove " + path + ": the queue is open in this process");
  }
  if (!fs::is_directory(path, ec)) {
    throw Error("rocksq: cannot remove " + path + ": not a queue directory");
  }
  if (!fs::exists(fs::path(path) / "CURRENT", ec)) {
    if (holds_nothing_else(path)) {
      // Empty, or a creation that stopped before RocksDB began: unless it
      // is going on now (the lock tells).
      const DirectoryLock lock(path);
      if (!fs::exists(fs::path(path) / "CURRENT", ec)) {
        fs::remove_all(path, ec);
        if (ec) throw Error("rocksq: cannot remove " + path + ": " + ec.message());
        return;
      }
    } else {
      throw Error("rocksq: cannot remove " + path + ": not a queue directory");
    }
  }
  // Opening proves nobody else holds it and that it is a queue of this kind;
  // its lock keeps it so until the files are gone.
  Database probe(path, kind, Options());
  probe.close_keeping_lock();
  rocksdb::Options options;
  check(rocksdb::DestroyDB(path, options), path, "remove");
  fs::remove_all(path, ec);
  if (ec) throw Error("rocksq: cannot remove " + path + ": " + ec.message());
}

}  // namespace internal
}  // namespace rocksq
