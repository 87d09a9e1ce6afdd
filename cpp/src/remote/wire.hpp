// The wire format between the processes that share a queue (see
// shared_service.hpp): frames, and the encoding of operation arguments,
// results and errors.
//
// A frame is an 8-byte little-endian length, then that many bytes: a 1-byte
// frame type and its body.  Integers are little-endian fixed width, a string
// is its length (u64) and its bytes, a list its count (u64) and its elements.
// Both ends are the same build of rocksq on one machine (the hello checks
// kProtocolVersion), so the format needs no negotiation.
#ifndef ROCKSQ_SRC_REMOTE_WIRE_HPP_
#define ROCKSQ_SRC_REMOTE_WIRE_HPP_

#include <chrono>
#include <cstdint>
#include <cstring>
#include <exception>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "rocksq/lease.hpp"
#include "rocksq/mpmc_queue.hpp"
#include "rocksq/start_position.hpp"

namespace rocksq {
namespace internal {
namespace wire {

inline constexpr std::uint32_t kMagic = 0x31535152;  // "RQS1"
inline constexpr std::uint32_t kProtocolVersion = 1;
// A frame longer than this is refused as malformed (a batch of items may
// exceed 4 GiB, hence 64-bit lengths).
inline constexpr std::uint64_t kMaxFrameBytes = std::uint64_t{1} << 40;

enum class FrameType : std::uint8_t {
  kHello = 1,     // client: magic, version, queue kind, parameters
  kWelcome = 2,   // owner: the hello is accepted
  kRefused = 3,   // owner: the hello is refused (an error follows)
  kRequest = 4,   // client: id, operation code, arguments
  kResponse = 5,  // owner: id, then ok + result, or an error
  kGoodbye = 6,   // owner, closing: the last request id it ran; later ones it did not
  kDrain = 7,     // client, closing: end my waiting reads now with what there is
};

// The error classes that cross the wire, rebuilt as the same C++ type.
enum class ErrorKind : std::uint8_t {
  kNone = 0,
  kInvalidArgument,
  kError,
  kQueueFull,
  kClosed,
  kAlreadyOpen,
  kCorruption,
  kLease,
  kDiskFull,
  kOwnerLost,
};

// Appends encodings to a string.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(out) {}

  template <typename T>
  std::enable_if_t<std::is_integral_v<T>> put(T value) {
    std::uint64_t v = static_cast<std::uint64_t>(value);
    char bytes[sizeof(T)];
    for (std::size_t i = 0; i < sizeof(T); ++i) bytes[i] = static_cast<char>(v >> (8 * i));
    out_->append(bytes, sizeof(T));
  }
  void put(bool value) { put(std::uint8_t{value}); }
  void put(std::string_view s) {
    put(std::uint64_t{s.size()});
    out_->append(s.data(), s.size());
  }
  void put(const std::string& s) { put(std::string_view(s)); }
  void put(const std::vector<std::string>& items) {
    put(std::uint64_t{items.size()});
    for (const auto& item : items) put(std::string_view(item));
  }
  void put(std::chrono::nanoseconds d) { put(std::int64_t{d.count()}); }
  void put(std::chrono::milliseconds d) { put(std::int64_t{d.count()}); }
  void put(LeaseId lease) { put(static_cast<std::uint64_t>(lease)); }
  void put(StartPosition position) { put(static_cast<std::int32_t>(position)); }
  void put(const Reservation& r) {
    put(r.items);
    put(r.lease);
    put(r.deliveries);
  }
  void put(const NextResult& r) {
    put(r.items);
    put(r.expired);
  }

 private:
  std::string* out_;
};

// Thrown by Reader on a truncated or malformed body.
class MalformedFrame : public std::exception {
 public:
  const char* what() const noexcept override { return "malformed frame"; }
};

// Reads encodings from a frame body.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  template <typename T>
  std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, T> get() {
    need(sizeof(T));
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      v |= std::uint64_t{static_cast<unsigned char>(in_[i])} << (8 * i);
    }
    in_.remove_prefix(sizeof(T));
    return static_cast<T>(v);
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, bool>, T> get() {
    const auto byte = get<std::uint8_t>();
    if (byte > 1) throw MalformedFrame();
    return byte == 1;
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, std::string>, T> get() {
    const auto size = get<std::uint64_t>();
    need(size);
    std::string s(in_.data(), size);
    in_.remove_prefix(size);
    return s;
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, std::vector<std::string>>, T> get() {
    const auto count = get<std::uint64_t>();
    if (count > in_.size() / 8) throw MalformedFrame();  // each takes 8 bytes at least
    std::vector<std::string> items;
    items.reserve(count);
    for (std::uint64_t i = 0; i < count; ++i) items.push_back(get<std::string>());
    return items;
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, std::chrono::nanoseconds> ||
                       std::is_same_v<T, std::chrono::milliseconds>,
                   T>
  get() {
    return T(get<std::int64_t>());
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, LeaseId>, T> get() {
    return LeaseId{get<std::uint64_t>()};
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, StartPosition>, T> get() {
    const auto v = get<std::int32_t>();
    if (v != static_cast<std::int32_t>(StartPosition::Oldest) &&
        v != static_cast<std::int32_t>(StartPosition::Newest)) {
      throw MalformedFrame();
    }
    return static_cast<StartPosition>(v);
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, Reservation>, T> get() {
    Reservation r;
    r.items = get<std::vector<std::string>>();
    r.lease = get<LeaseId>();
    r.deliveries = get<std::uint64_t>();
    return r;
  }
  template <typename T>
  std::enable_if_t<std::is_same_v<T, NextResult>, T> get() {
    NextResult r;
    r.items = get<std::vector<std::string>>();
    r.expired = get<bool>();
    return r;
  }

  bool done() const { return in_.empty(); }
  std::string_view rest() const { return in_; }

 private:
  void need(std::uint64_t n) const {
    if (n > in_.size()) throw MalformedFrame();
  }
  std::string_view in_;
};

// The frame header: the body's length (u64) and the frame type.
inline constexpr std::size_t kHeaderBytes = 9;

// Starts a frame of type in *out; end_frame writes its length.
inline std::size_t begin_frame(std::string* out, FrameType type) {
  const std::size_t start = out->size();
  out->append(8, '\0');
  out->push_back(static_cast<char>(type));
  return start;
}
inline void end_frame(std::string* out, std::size_t start) {
  const std::uint64_t length = out->size() - start - 8;
  for (int i = 0; i < 8; ++i) (*out)[start + i] = static_cast<char>(length >> (8 * i));
}
// The length of the frame whose header starts at data (8 bytes at least).
inline std::uint64_t frame_length(const char* data) {
  std::uint64_t length = 0;
  for (int i = 0; i < 8; ++i) length |= std::uint64_t{static_cast<unsigned char>(data[i])} << (8 * i);
  return length;
}

// The error of exception_ptr e, for the wire.
void put_error(Writer& w, const std::exception_ptr& e);
// The exception put_error wrote (the reader is past the kind byte).
std::exception_ptr get_error(ErrorKind kind, Reader& r);

}  // namespace wire
}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_REMOTE_WIRE_HPP_
