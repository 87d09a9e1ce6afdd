#include "disk_space.hpp"

#include <sys/statvfs.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include <rocksdb/options.h>

#include "layout.hpp"
#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {

namespace {

constexpr std::uint64_t kMaxBudget = std::uint64_t{64} << 20;

// What a batch does: store items (a segment) or remove some (what consumers
// write otherwise: metadata and cursors, besides).
struct BatchKind {
  bool stores = false;
  bool removes = false;
};

BatchKind kind_of(const rocksdb::WriteBatch& batch) {
  struct Finder final : rocksdb::WriteBatch::Handler {
    BatchKind kind;
    rocksdb::Status PutCF(std::uint32_t, const rocksdb::Slice& key,
                          const rocksdb::Slice&) override {
      if (!key.empty() && key[0] == layout::kSegmentPrefix) kind.stores = true;
      return rocksdb::Status::OK();
    }
    rocksdb::Status DeleteCF(std::uint32_t, const rocksdb::Slice&) override {
      kind.removes = true;
      return rocksdb::Status::OK();
    }
    rocksdb::Status SingleDeleteCF(std::uint32_t, const rocksdb::Slice&) override {
      kind.removes = true;
      return rocksdb::Status::OK();
    }
    rocksdb::Status DeleteRangeCF(std::uint32_t, const rocksdb::Slice&,
                                  const rocksdb::Slice&) override {
      kind.removes = true;
      return rocksdb::Status::OK();
    }
    bool Continue() override { return !kind.stores; }
  } finder;
  batch.Iterate(&finder).PermitUncheckedError();
  return finder.kind;
}

std::uint64_t int_property(rocksdb::DB* db, const std::string& name) {
  std::uint64_t value = 0;
  if (!db->GetIntProperty(name, &value)) return 0;
  return value;
}

std::string kib(std::uint64_t bytes) {
  return std::to_string(bytes / 1024) + " KiB";
}

}  // namespace

std::uint64_t free_disk_bytes(const std::string& path) {
  struct statvfs vfs {};
  if (::statvfs(path.c_str(), &vfs) != 0) return std::numeric_limits<std::uint64_t>::max();
  return static_cast<std::uint64_t>(vfs.f_bavail) * vfs.f_frsize;
}

bool is_no_space(const rocksdb::Status& status) {
  return status.IsNoSpace() ||
         status.ToString().find("No space left on device") != std::string::npos;
}

void NoSpaceListener::OnBackgroundError(rocksdb::BackgroundErrorReason,
                                        rocksdb::Status* bg_error) {
  if (bg_error != nullptr && is_no_space(*bg_error)) resume_wanted_->store(true);
}

void NoSpaceListener::OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status bg_error,
                                           bool* auto_recovery) {
  if (is_no_space(bg_error)) *auto_recovery = false;
  bg_error.PermitUncheckedError();
}

void DiskSpace::before_write(rocksdb::DB* db, const rocksdb::WriteBatch& batch) {
  const std::uint64_t size = batch.GetDataSize();
  if (size <= budget_) {
    budget_ -= size;
    return;
  }
  budget_ = 0;
  const BatchKind kind = kind_of(batch);
  // Consumers may always write: the headroom is theirs.
  if (!kind.stores) {
    removed_ = removed_ || kind.removes;
    return;
  }
  std::uint64_t free = 0;
  std::uint64_t need = 0;
  for (int attempt = 0;; ++attempt) {
    free = free_disk_bytes(path_);
    const std::uint64_t memtable = int_property(db, rocksdb::DB::Properties::kCurSizeAllMemTables);
    // The batch goes to the log now and to a table file when flushed.
    need = kDiskHeadroomBytes + memtable + 2 * size;
    if (free >= need) {
      // Checked again at least every kMaxBudget: others share the disk.
      budget_ = std::min((free - need) / 2, kMaxBudget);
      return;
    }
    // The log of items removed since the last flush frees its space once
    // flushed, the table file holding only what is left (the rule above
    // keeps room for it).  Flushing items still there would only move them
    // into a table file, whose space needs a compaction to return.
    if (attempt > 0 || !removed_ || memtable < need - free) break;
    // Synced first, as Database::sync_before_log_switch explains.
    if (!db->SyncWAL().ok()) break;
    rocksdb::FlushOptions flush;
    flush.allow_write_stall = true;
    if (db->Flush(flush).ok()) removed_ = false;
  }
  throw DiskFullError("rocksq: write failed for " + path_ + ": the disk is full (" + kib(free) +
                      " free, " + kib(need) + " needed, keeping " + kib(kDiskHeadroomBytes) +
                      " for consumers): nothing was written; popping items frees space");
}

}  // namespace internal
}  // namespace rocksq
