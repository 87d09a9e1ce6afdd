#include "directory_lock.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "rocksq/error.hpp"

namespace fs = std::filesystem;

namespace rocksq {
namespace internal {

namespace {

// remove_queue deletes the lock file while holding it; a process that opened
// it just before then locks a file nobody else sees, and must start again.
// Each new attempt follows a removal completed meanwhile: a handful suffice.
constexpr int kAttempts = 100;

std::string errno_text() { return std::strerror(errno); }

}  // namespace

DirectoryLock::DirectoryLock(const std::string& directory)
    : file_((fs::path(directory) / kLockFileName).string()) {
  const std::string& file = file_;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    // A file where the directory should be: libstdc++ reports ENOTDIR,
    // libc++ (the wheels' zig builds) EEXIST; say the same with both.
    std::error_code dir_ec;
    if (ec == std::errc::file_exists && !fs::is_directory(directory, dir_ec)) {
      ec = std::make_error_code(std::errc::not_a_directory);
    }
    if (ec) {
      throw Error("rocksq: cannot create the directory " + directory + ": " + ec.message());
    }
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == ENOENT) continue;  // the directory was removed meanwhile
      throw Error("rocksq: cannot open " + directory + ": cannot create its lock file " +
                  file + ": " + errno_text());
    }
    struct flock lock {};
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    if (::fcntl(fd, F_SETLK, &lock) != 0) {
      const int error = errno;
      ::close(fd);
      if (error == EACCES || error == EAGAIN) {
        throw AlreadyOpenError("rocksq: cannot open " + directory +
                               ": the queue is already open in another process");
      }
      errno = error;
      throw Error("rocksq: cannot open " + directory + ": cannot lock " + file + ": " +
                  errno_text());
    }
    // Still the file at that name, not one removed after we opened it?
    struct stat held {};
    struct stat named {};
    if (::fstat(fd, &held) == 0 && ::stat(file.c_str(), &named) == 0 &&
        held.st_dev == named.st_dev && held.st_ino == named.st_ino) {
      fd_ = fd;
      return;
    }
    ::close(fd);
  }
  throw Error("rocksq: cannot open " + directory +
              ": its lock file kept being removed (remove_queue in a loop elsewhere?)");
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

DirectoryLock& DirectoryLock::operator=(DirectoryLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    file_ = std::move(other.file_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

namespace {
constexpr char kSharedMark[] = "shared\n";
constexpr char kExclusiveMark[] = "exclusive\n";
}  // namespace

void DirectoryLock::mark(bool shared) {
  if (fd_ < 0) return;
  const char* const text = shared ? kSharedMark : kExclusiveMark;
  const std::size_t size = std::strlen(text);
  // Best effort: a process that cannot read it waits for a socket instead.
  if (::pwrite(fd_, text, size, 0) == static_cast<ssize_t>(size)) {
    static_cast<void>(::ftruncate(fd_, static_cast<off_t>(size)));
  }
}

DirectoryLock::Holder DirectoryLock::probe(const std::string& directory) {
  Holder holder;
  const std::string file = (fs::path(directory) / kLockFileName).string();
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return holder;
  struct flock lock {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  if (::fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != F_UNLCK) {
    holder.held = true;
    char text[16] = {};
    const ssize_t n = ::pread(fd, text, sizeof(text) - 1, 0);
    // Unmarked yet (the holder is opening): take it for a sharing one.
    holder.shared = n <= 0 || std::strcmp(text, kExclusiveMark) != 0;
  }
  ::close(fd);
  return holder;
}

void DirectoryLock::remove_file() {
  // Others that opened it meanwhile see it gone once they lock it, and retry.
  if (fd_ >= 0) ::unlink(file_.c_str());
}

}  // namespace internal
}  // namespace rocksq
