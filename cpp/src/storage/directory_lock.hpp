// The lock that makes one process at a time the owner of a queue's directory.
//
// RocksDB locks its database only once DB::Open is well under way: before
// that it creates the directory and renames and creates its log files, so two
// processes creating the same new queue at once saw each other's
// half-created database (a false CorruptionError, or ENOENT from the
// logger).  This lock is taken before any of that, on a file of ours inside
// the directory, so the loser gets AlreadyOpenError and touches nothing.
#ifndef ROCKSQ_SRC_STORAGE_DIRECTORY_LOCK_HPP_
#define ROCKSQ_SRC_STORAGE_DIRECTORY_LOCK_HPP_

#include <string>
#include <utility>

namespace rocksq {
namespace internal {

// The name of the lock file inside a queue's directory.  RocksDB ignores it
// (it is not one of its file names).
inline constexpr const char* kLockFileName = "rocksq.lock";

class DirectoryLock {
 public:
  // Creates directory (with missing parents) and its lock file if missing,
  // and locks it.  Throws AlreadyOpenError if another process holds it,
  // Error if the directory or the lock file cannot be created.  A POSIX
  // record lock, like RocksDB's: a forked child does not inherit it.  The
  // caller makes sure this process locks a directory once at a time (closing
  // any descriptor of the file would release the lock).
  explicit DirectoryLock(const std::string& directory);
  DirectoryLock() = default;  // holds nothing
  ~DirectoryLock();

  DirectoryLock(DirectoryLock&& other) noexcept
      : file_(std::move(other.file_)), fd_(std::exchange(other.fd_, -1)) {}
  DirectoryLock& operator=(DirectoryLock&& other) noexcept;
  DirectoryLock(const DirectoryLock&) = delete;
  DirectoryLock& operator=(const DirectoryLock&) = delete;

  // Records in the lock file whether this process shares the queue with
  // others (see remote/shared_link.hpp), for probe().
  void mark(bool shared);

  // Whether another process holds directory's lock, and if it said it
  // shares the queue.
  struct Holder {
    bool held = false;
    bool shared = false;
  };
  static Holder probe(const std::string& directory);

  // Deletes the lock file (still locked until destroyed), so that a
  // directory found not to be a queue is left as it was.
  void remove_file();

 private:
  std::string file_;
  int fd_ = -1;
};

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_DIRECTORY_LOCK_HPP_
