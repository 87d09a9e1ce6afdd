// Opening, inspecting and removing the RocksDB database behind a queue.
#ifndef ROCKSQ_SRC_STORAGE_DATABASE_HPP_
#define ROCKSQ_SRC_STORAGE_DATABASE_HPP_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/write_batch.h>

#include "directory_lock.hpp"
#include "disk_space.hpp"
#include "rocksq/options.hpp"

namespace rocksq {
namespace internal {

// The kind of queue a database holds, stored in it at creation.
enum class QueueKind { kFifo, kMpmc };
const char* kind_name(QueueKind kind);

// An open database, registered as open in this process until destroyed.
class Database {
 public:
  // Opens (creating if missing) the database of a queue of the given kind.
  // Throws AlreadyOpenError, CorruptionError or Error.
  Database(const std::string& path, QueueKind kind, const Options& options);
  // A read-only view of the database at path, for inspection: a RocksDB
  // secondary instance (it takes no lock and writes nothing there, so the
  // queue may be open elsewhere), keeping its own files in scratch_dir.
  // Throws CorruptionError or Error (status names the cause).
  static Database secondary(const std::string& path, const std::string& scratch_dir);
  ~Database();

  Database(Database&& other) noexcept
      : path_(std::move(other.path_)),
        registered_path_(std::exchange(other.registered_path_, std::string())),
        lock_(std::move(other.lock_)),
        env_(std::move(other.env_)),
        db_(std::move(other.db_)),
        write_options_(other.write_options_),
        space_(std::move(other.space_)),
        bytes_since_switch_check_(other.bytes_since_switch_check_),
        resume_wanted_(std::move(other.resume_wanted_)) {}
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // True for a secondary: write() must not be called.
  bool read_only() const { return registered_path_.empty(); }

  rocksdb::DB* db() const { return db_.get(); }
  const std::string& path() const { return path_; }

  // Writes batch with the queue's durability; throws Error naming operation
  // (DiskFullError if the disk is full).  After RocksDB itself failed for
  // lack of space (its database then refuses writes), resumes it first.
  void write(rocksdb::WriteBatch* batch, const char* operation);

  // Reads key; returns false if missing; throws Error on failure.
  bool get(std::string_view key, std::string* value, const char* operation) const;

  // Bytes used by the database directory.
  std::uint64_t disk_size() const;

  // Closes the database but keeps the directory locked (in this process and
  // against others) until destroyed, so that it can be deleted.
  void close_keeping_lock();

 private:
  Database() = default;

  std::string path_;
  std::string registered_path_;
  DirectoryLock lock_;  // released after db_ is closed
  std::shared_ptr<rocksdb::Env> env_;  // Options::env, used by db_
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions write_options_;
  void sync_before_log_switch(std::size_t bytes, const char* operation);

  DiskSpace space_{std::string()};
  std::uint64_t bytes_since_switch_check_ = 0;
  // Set when RocksDB failed for lack of space: resume before writing.
  std::shared_ptr<std::atomic<bool>> resume_wanted_ = std::make_shared<std::atomic<bool>>(false);
};

// Throws std::invalid_argument unless path can name a queue's directory: not
// empty and free of NUL bytes (the system would read it only up to the NUL).
void check_path(const std::string& path);

// A process-wide claim on a queue's path, as an open database makes: while
// it lives, opening the path again in this process raises AlreadyOpenError.
// A shared queue that is a client of another process holds one.
class PathClaim {
 public:
  explicit PathClaim(const std::string& path);
  ~PathClaim();
  PathClaim(const PathClaim&) = delete;
  PathClaim& operator=(const PathClaim&) = delete;

 private:
  const std::string key_;
};

// True if a database or a claim holds path in this process.
bool is_open_in_this_process(const std::string& path);

// Throws the rocksq error matching status, naming path and operation.
[[noreturn]] void throw_status(const rocksdb::Status& status, const std::string& path,
                               const char* operation);
inline void check(const rocksdb::Status& status, const std::string& path,
                  const char* operation) {
  if (!status.ok()) throw_status(status, path, operation);
}

std::uint64_t directory_size(const std::string& path);

// Empties batch for reuse; one that held big items gives its memory back
// (WriteBatch::Clear keeps its buffer's capacity).
inline void clear_batch(rocksdb::WriteBatch* batch) {
  constexpr std::size_t kKeptBytes = std::size_t{4} << 20;
  if (batch->GetDataSize() > kKeptBytes) {
    *batch = rocksdb::WriteBatch();
  } else {
    batch->Clear();
  }
}

// Deletes the database of a closed queue of the given kind.
void remove_database(const std::string& path, QueueKind kind);

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_DATABASE_HPP_
