// Keeping a queue usable when its disk fills up.
//
// RocksDB turns a write that finds the disk full into a "hard" background
// error: the database becomes read-only until DB::Resume() manages to flush
// the memtable, which needs as much room again as the data in it, so on a
// full disk consumers could not even pop the items whose removal frees the
// space.  So a write that stores items is refused (DiskFullError) before
// RocksDB would fail, while the disk still has room for RocksDB to flush its
// memtable and for consumers' small writes (the headroom).
#ifndef ROCKSQ_SRC_STORAGE_DISK_SPACE_HPP_
#define ROCKSQ_SRC_STORAGE_DISK_SPACE_HPP_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <rocksdb/db.h>
#include <rocksdb/listener.h>
#include <rocksdb/write_batch.h>

namespace rocksq {
namespace internal {

// Free bytes a write may never take: room for consumers' writes, RocksDB's
// own files (MANIFEST, OPTIONS, LOG) and opening the queue again.
inline constexpr std::uint64_t kDiskHeadroomBytes = std::uint64_t{1} << 20;

class DiskSpace {
 public:
  explicit DiskSpace(std::string path) : path_(std::move(path)) {}

  // Called before each write of batch to db.  Throws DiskFullError if the
  // batch stores items and the disk lacks room for it, for flushing the
  // memtable afterwards and for the headroom (after flushing the memtable
  // if that frees the log of removed items).  Checks the disk only
  // once the writes since the last check could have used up the room seen
  // then, so it costs nothing while the disk has room.
  void before_write(rocksdb::DB* db, const rocksdb::WriteBatch& batch);

  // A write failed for lack of space anyway (the disk is shared): check
  // again before the next one.
  void exhausted() { budget_ = 0; }

 private:
  std::string path_;
  std::uint64_t budget_ = 0;  // bytes writable before the next check
  bool removed_ = false;      // consumers removed items since the last flush
};

// Raises *resume_wanted when RocksDB records a background error for lack of
// space, and stops RocksDB from recovering by itself: its recovery polls
// every few seconds and waits for far more free space than a queue needs
// (two write buffers), and meanwhile refuses DB::Resume().  The queue
// resumes instead at its next write.
class NoSpaceListener final : public rocksdb::EventListener {
 public:
  explicit NoSpaceListener(std::shared_ptr<std::atomic<bool>> resume_wanted)
      : resume_wanted_(std::move(resume_wanted)) {}
  const char* Name() const override { return "rocksq.NoSpaceListener"; }
  void OnBackgroundError(rocksdb::BackgroundErrorReason reason,
                         rocksdb::Status* bg_error) override;
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason reason, rocksdb::Status bg_error,
                            bool* auto_recovery) override;

 private:
  const std::shared_ptr<std::atomic<bool>> resume_wanted_;
};

// Bytes the file system holding path has free for this process (statvfs).
std::uint64_t free_disk_bytes(const std::string& path);

// RocksDB's status for a full disk (ENOSPC).
bool is_no_space(const rocksdb::Status& status);

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_DISK_SPACE_HPP_
