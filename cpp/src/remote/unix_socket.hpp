// Unix domain sockets for a shared queue: the owner listens on
// <queue>/rocksq.sock, its clients connect to it.
//
// Who may connect: the socket is mode 0600 inside the queue's directory, and
// each end checks the other's credentials (SO_PEERCRED): only processes of
// the owner's effective user are served, and a client talks only to an owner
// of its own user.  A shared queue's directory must not be writable by
// others (then anyone could put a socket there).
#ifndef ROCKSQ_SRC_REMOTE_UNIX_SOCKET_HPP_
#define ROCKSQ_SRC_REMOTE_UNIX_SOCKET_HPP_

#include <string>
#include <utility>

namespace rocksq {
namespace internal {

inline constexpr const char* kSocketFileName = "rocksq.sock";

// A file descriptor, closed on destruction.
class FileDescriptor {
 public:
  FileDescriptor() = default;
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() { reset(); }
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  void reset();

 private:
  int fd_ = -1;
};

// Throws Error unless directory may hold a shared queue's socket: owned by
// this user (or root) and not writable by others.
void check_shared_directory(const std::string& directory);

// Replaces any socket left at <directory>/rocksq.sock (the caller owns the
// queue, so it is stale) by a listening one, mode 0600, non-blocking.
// Throws Error.
FileDescriptor listen_socket(const std::string& directory);
// Removes the socket file (the owner, closing).
void remove_socket(const std::string& directory);

// Connects to <directory>/rocksq.sock; invalid if nobody listens there (no
// file, or refused).  Throws Error on other failures, or if the listener is
// another user's.
FileDescriptor connect_socket(const std::string& directory);

// True if the process at the other end of fd runs as this process's user.
bool peer_is_same_user(int fd);

// An eventfd: wakes a thread blocked in poll().
class Wakeup {
 public:
  Wakeup();
  int fd() const { return fd_.get(); }
  void notify() const noexcept;
  void drain() const noexcept;

 private:
  FileDescriptor fd_;
};

// Writes all of data to a blocking socket; false if the peer is gone.
bool write_all(int fd, const char* data, std::size_t size);

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_REMOTE_UNIX_SOCKET_HPP_
