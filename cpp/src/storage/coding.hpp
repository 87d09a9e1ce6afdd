// Fixed-width big-endian integers (keys sort numerically) and varints.
#ifndef ROCKSQ_SRC_STORAGE_CODING_HPP_
#define ROCKSQ_SRC_STORAGE_CODING_HPP_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rocksq {
namespace internal {

inline void put_fixed64_be(std::string* dst, std::uint64_t v) {
  char buf[8];
  for (int i = 7; i >= 0; --i) {
    buf[i] = static_cast<char>(v & 0xff);
    v >>= 8;
  }
  dst->append(buf, 8);
}

// Reads 8 bytes at the front of *in; false if too short.
inline bool get_fixed64_be(std::string_view* in, std::uint64_t* v) {
  if (in->size() < 8) return false;
  std::uint64_t r = 0;
  for (int i = 0; i < 8; ++i) r = (r << 8) | static_cast<unsigned char>((*in)[i]);
  in->remove_prefix(8);
  *v = r;
  return true;
}

inline void put_varint64(std::string* dst, std::uint64_t v) {
  char buf[10];
  int n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  dst->append(buf, static_cast<std::size_t>(n));
}

inline bool get_varint64(std::string_view* in, std::uint64_t* v) {
  std::uint64_t r = 0;
  for (unsigned shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in->front());
    in->remove_prefix(1);
    r |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *v = r;
      return true;
    }
  }
  return false;
}

inline std::size_t varint_length(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// A one-byte prefix followed by a big-endian number: prefixed keys sort by
// number.
inline std::string numbered_key(char prefix, std::uint64_t n) {
  std::string key;
  key.reserve(9);
  key.push_back(prefix);
  put_fixed64_be(&key, n);
  return key;
}

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_CODING_HPP_
