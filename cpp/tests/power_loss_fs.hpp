// A file system for tests that simulates a power loss: it tracks, for every
// file written through it, how many bytes were synced (Sync/Fsync), and
// power_loss() first makes every later operation fail (the machine is off:
// nothing more reaches the disk), then, once the database is closed,
// drop_unsynced() cuts every file back to its synced bytes, keeping a
// random part of the unsynced tail (a page cache written back in part, as a
// real power loss may leave it).  Metadata (creations, renames, deletions)
// is taken as durable at once: RocksDB syncs the directory after each.
#ifndef ROCKSQ_TESTS_POWER_LOSS_FS_HPP_
#define ROCKSQ_TESTS_POWER_LOSS_FS_HPP_

#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <utility>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

namespace rocksq_test {

class PowerLossFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  PowerLossFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  static const char* kClassName() { return "PowerLossFileSystem"; }
  const char* Name() const override { return kClassName(); }

  // An Env for rocksq::Options::env.
  static std::pair<std::shared_ptr<PowerLossFileSystem>, std::shared_ptr<rocksdb::Env>> make() {
    auto fs = std::make_shared<PowerLossFileSystem>();
    std::shared_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
    return {fs, env};
  }

  // From now on every operation fails and nothing more is written.
  void power_loss() { off_.store(true); }
  bool off() const { return off_.load(); }

  // Cuts each file written since creation back to its synced bytes plus
  // a random part (keep_fraction: none, all or random) of the rest.
  // Returns the bytes dropped.
  std::uint64_t drop_unsynced(std::mt19937_64& random, bool torn) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::uint64_t dropped = 0;
    for (const auto& [name, file] : files_) {
      if (file.size <= file.synced) continue;
      std::uint64_t keep = file.synced;
      if (torn) keep += std::uniform_int_distribution<std::uint64_t>(0, file.size - file.synced)(random);
      if (::truncate(name.c_str(), static_cast<off_t>(keep)) == 0) dropped += file.size - keep;
    }
    files_.clear();
    return dropped;
  }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    if (off()) return powered_off();
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, &file, dbg);
    if (!s.ok()) return s;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      files_[name] = Tracked{};
    }
    *result = std::make_unique<File>(std::move(file), this, name);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& name,
                                       const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    if (off()) return powered_off();
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus s = target()->ReopenWritableFile(name, options, &file, dbg);
    if (!s.ok()) return s;
    std::uint64_t size = 0;
    target()->GetFileSize(name, rocksdb::IOOptions(), &size, dbg).PermitUncheckedError();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      files_[name] = Tracked{size, size};  // what was there is on disk
    }
    *result = std::make_unique<File>(std::move(file), this, name);
    return s;
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string&, const std::string&,
                                      const rocksdb::FileOptions&,
                                      std::unique_ptr<rocksdb::FSWritableFile>*,
                                      rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::NotSupported("PowerLossFileSystem: ReuseWritableFile");
  }
  rocksdb::IOStatus NewRandomRWFile(const std::string&, const rocksdb::FileOptions&,
                                    std::unique_ptr<rocksdb::FSRandomRWFile>*,
                                    rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::NotSupported("PowerLossFileSystem: NewRandomRWFile");
  }
  rocksdb::IOStatus DeleteFile(const std::string& name, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
    if (off()) return powered_off();
    rocksdb::IOStatus s = target()->DeleteFile(name, options, dbg);
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(mutex_);
      files_.erase(name);
    }
    return s;
  }
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
    if (off()) return powered_off();
    rocksdb::IOStatus s = target()->RenameFile(from, to, options, dbg);
    if (s.ok()) {
      std::lock_guard<std::mutex> lock(mutex_);
      files_.erase(to);
      auto it = files_.find(from);
      if (it != files_.end()) {
        files_[to] = it->second;
        files_.erase(from);
      }
    }
    return s;
  }
  rocksdb::IOStatus CreateDir(const std::string& name, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override {
    if (off()) return powered_off();
    return target()->CreateDir(name, options, dbg);
  }
  rocksdb::IOStatus CreateDirIfMissing(const std::string& name, const rocksdb::IOOptions& options,
                                       rocksdb::IODebugContext* dbg) override {
    if (off()) return powered_off();
    return target()->CreateDirIfMissing(name, options, dbg);
  }
  rocksdb::IOStatus DeleteDir(const std::string& name, const rocksdb::IOOptions& options,
                              rocksdb::IODebugContext* dbg) override {
    if (off()) return powered_off();
    return target()->DeleteDir(name, options, dbg);
  }
  rocksdb::IOStatus LinkFile(const std::string&, const std::string&, const rocksdb::IOOptions&,
                             rocksdb::IODebugContext*) override {
    return rocksdb::IOStatus::NotSupported("PowerLossFileSystem: LinkFile");
  }

 private:
  struct Tracked {
    std::uint64_t size = 0;    // bytes written
    std::uint64_t synced = 0;  // of which synced
  };

  static rocksdb::IOStatus powered_off() { return rocksdb::IOStatus::IOError("power is off"); }

  void appended(const std::string& name, std::uint64_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(name);
    if (it != files_.end()) it->second.size += bytes;
  }
  void truncated(const std::string& name, std::uint64_t size) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(name);
    if (it == files_.end()) return;
    it->second.size = size;
    if (it->second.synced > size) it->second.synced = size;
  }
  void synced(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = files_.find(name);
    if (it != files_.end()) it->second.synced = it->second.size;
  }

  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile> file, PowerLossFileSystem* fs, std::string name)
        : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs), name_(std::move(name)) {}

    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->off()) return powered_off();
      rocksdb::IOStatus s = target()->Append(data, options, dbg);
      if (s.ok()) fs_->appended(name_, data.size());
      return s;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->off()) return powered_off();
      rocksdb::IOStatus s = target()->Append(data, options, info, dbg);
      if (s.ok()) fs_->appended(name_, data.size());
      return s;
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice&, std::uint64_t,
                                       const rocksdb::IOOptions&,
                                       rocksdb::IODebugContext*) override {
      return rocksdb::IOStatus::NotSupported("PowerLossFileSystem: PositionedAppend");
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice&, std::uint64_t,
                                       const rocksdb::IOOptions&,
                                       const rocksdb::DataVerificationInfo&,
                                       rocksdb::IODebugContext*) override {
      return rocksdb::IOStatus::NotSupported("PowerLossFileSystem: PositionedAppend");
    }
    rocksdb::IOStatus Truncate(std::uint64_t size, const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override {
      if (fs_->off()) return powered_off();
      rocksdb::IOStatus s = target()->Truncate(size, options, dbg);
      if (s.ok()) fs_->truncated(name_, size);
      return s;
    }
    rocksdb::IOStatus Close(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      // Closing without power still releases the descriptor; the data it
      // would write back is cut by drop_unsynced().
      return target()->Close(options, dbg);
    }
    rocksdb::IOStatus Flush(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->off()) return powered_off();
      return target()->Flush(options, dbg);
    }
    rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
      if (fs_->off()) return powered_off();
      rocksdb::IOStatus s = target()->Sync(options, dbg);
      if (s.ok()) fs_->synced(name_);
      return s;
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                            rocksdb::IODebugContext* dbg) override {
      if (fs_->off()) return powered_off();
      rocksdb::IOStatus s = target()->Fsync(options, dbg);
      if (s.ok()) fs_->synced(name_);
      return s;
    }
    rocksdb::IOStatus RangeSync(std::uint64_t, std::uint64_t, const rocksdb::IOOptions&,
                                rocksdb::IODebugContext*) override {
      // Starts write-back only; durability needs Sync.
      return rocksdb::IOStatus::OK();
    }

   private:
    PowerLossFileSystem* const fs_;
    const std::string name_;
  };

  std::atomic<bool> off_{false};
  std::mutex mutex_;
  std::map<std::string, Tracked> files_;
};

}  // namespace rocksq_test

#endif  // ROCKSQ_TESTS_POWER_LOSS_FS_HPP_
