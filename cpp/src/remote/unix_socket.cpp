#include "unix_socket.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "rocksq/error.hpp"

namespace rocksq {
namespace internal {

namespace {

std::string errno_text() { return std::strerror(errno); }

// The socket's address.  sun_path holds 108 bytes: a longer path goes
// through /proc/self/fd/N of the directory (Linux resolves it), kept open in
// *dir while the address is used.
bool socket_address(const std::string& directory, sockaddr_un* address, FileDescriptor* dir) {
  std::memset(address, 0, sizeof(*address));
  address->sun_family = AF_UNIX;
  std::string path = directory + "/" + kSocketFileName;
  if (path.size() >= sizeof(address->sun_path)) {
    *dir = FileDescriptor(::open(directory.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir->valid()) return false;
    path = "/proc/self/fd/" + std::to_string(dir->get()) + "/" + kSocketFileName;
  }
  std::memcpy(address->sun_path, path.c_str(), path.size() + 1);
  return true;
}

}  // namespace

void FileDescriptor::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void check_shared_directory(const std::string& directory) {
  struct stat st {};
  if (::stat(directory.c_str(), &st) != 0) {
    throw Error("rocksq: cannot share " + directory + ": " + errno_text());
  }
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    throw Error("rocksq: cannot share " + directory +
                ": the directory belongs to another user (uid " + std::to_string(st.st_uid) +
                ")");
  }
  if ((st.st_mode & S_IWOTH) != 0) {
    throw Error("rocksq: cannot share " + directory +
                ": the directory is writable by every user (chmod o-w it)");
  }
}

FileDescriptor listen_socket(const std::string& directory) {
  sockaddr_un address;
  FileDescriptor dir;
  if (!socket_address(directory, &address, &dir)) {
    throw Error("rocksq: cannot share " + directory + ": " + errno_text());
  }
  FileDescriptor fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) throw Error("rocksq: cannot share " + directory + ": socket: " + errno_text());
  ::unlink(address.sun_path);  // left by an owner that died
  // Not through umask, which is the whole process's (RocksDB's threads
  // create files meanwhile): chmod at once; until then peer credentials
  // keep other users out.
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    throw Error("rocksq: cannot share " + directory + ": bind " + kSocketFileName + ": " +
                errno_text());
  }
  if (::chmod(address.sun_path, 0600) != 0) {
    throw Error("rocksq: cannot share " + directory + ": chmod " + kSocketFileName + ": " +
                errno_text());
  }
  if (::listen(fd.get(), 128) != 0) {
    throw Error("rocksq: cannot share " + directory + ": listen: " + errno_text());
  }
  return fd;
}

void remove_socket(const std::string& directory) {
  sockaddr_un address;
  FileDescriptor dir;
  if (socket_address(directory, &address, &dir)) ::unlink(address.sun_path);
}

FileDescriptor connect_socket(const std::string& directory) {
  sockaddr_un address;
  FileDescriptor dir;
  if (!socket_address(directory, &address, &dir)) return FileDescriptor();
  FileDescriptor fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) throw Error("rocksq: cannot connect to " + directory + ": " + errno_text());
  if (::connect(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    if (errno == ENOENT || errno == ECONNREFUSED || errno == EAGAIN) return FileDescriptor();
    throw Error("rocksq: cannot connect to the owner of " + directory + ": " + errno_text());
  }
  if (!peer_is_same_user(fd.get())) {
    throw Error("rocksq: cannot connect to the owner of " + directory +
                ": its socket is served by another user");
  }
  return fd;
}

bool peer_is_same_user(int fd) {
  struct ucred credentials {};
  socklen_t size = sizeof(credentials);
  if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) return false;
  return credentials.uid == ::geteuid();
}

Wakeup::Wakeup() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (!fd_.valid()) throw Error("rocksq: eventfd: " + errno_text());
}

void Wakeup::notify() const noexcept {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto n = ::write(fd_.get(), &one, sizeof(one));
}

void Wakeup::drain() const noexcept {
  std::uint64_t count = 0;
  [[maybe_unused]] const auto n = ::read(fd_.get(), &count, sizeof(count));
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace internal
}  // namespace rocksq
