// The on-disk layout of the queues, in one place: the stores write it and
// inspect.cpp reads it, so a format change cannot reach one and miss the other.
//
//   "k"            -> the queue's kind: "fifo" or "mpmc" (database.cpp)
//   "m"            -> meta: FifoMeta or MpmcMeta, after the format number
//   "d" + seq(BE)  -> one segment (see segment.hpp)
//   "i" + seq(BE)  -> MPMC: the segment's MpmcIndexEntry
//   "l" + label    -> MPMC: the label's Cursor
//   "t"            -> MPMC: the TTL in seconds of the last open (for rocksq info)
//   "r" + seg(BE) + offset(BE) -> FIFO: items taken out of the segments by
//                     reserve (a ChunkRecord), keyed by where the first of
//                     them stood, so that chunks sort in the items' order
//
// Values are varints.  Decoders check the encoding only (false, leaving the
// output untouched, on a short, overlong or unknown-format value); the
// invariants between fields are checked by the callers.
#ifndef ROCKSQ_SRC_STORAGE_LAYOUT_HPP_
#define ROCKSQ_SRC_STORAGE_LAYOUT_HPP_

#include <cstdint>
#include <string>
#include <string_view>

#include "coding.hpp"

namespace rocksq {
namespace internal {
namespace layout {

inline constexpr std::string_view kKindKey = "k";
inline constexpr std::string_view kMetaKey = "m";
inline constexpr std::string_view kTtlKey = "t";
inline constexpr char kSegmentPrefix = 'd';
inline constexpr char kIndexPrefix = 'i';
inline constexpr char kLabelPrefix = 'l';
inline constexpr char kChunkPrefix = 'r';
// The first field of "m": a store refuses a meta it does not know.
inline constexpr std::uint64_t kMetaFormat = 1;

inline std::string segment_key(std::uint64_t seq) { return numbered_key(kSegmentPrefix, seq); }
inline std::string index_key(std::uint64_t seq) { return numbered_key(kIndexPrefix, seq); }
inline std::string label_key(std::string_view label) {
  std::string key;
  key.reserve(1 + label.size());
  key.push_back(kLabelPrefix);
  key.append(label);
  return key;
}
// Where a chunk's first item stood: segment seg, position offset in it.
// Splitting a chunk keeps seg and adds to offset (which may then pass the
// segment's end: only the order matters).
struct ChunkKey {
  std::uint64_t seg = 0;
  std::uint64_t offset = 0;
  bool operator<(const ChunkKey& o) const {
    return seg < o.seg || (seg == o.seg && offset < o.offset);
  }
  bool operator==(const ChunkKey& o) const { return seg == o.seg && offset == o.offset; }
};
inline std::string chunk_key(const ChunkKey& k) {
  std::string key = numbered_key(kChunkPrefix, k.seg);
  put_fixed64_be(&key, k.offset);
  return key;
}
inline bool decode_chunk_key(std::string_view key, ChunkKey* out) {
  ChunkKey k;
  if (key.empty() || key.front() != kChunkPrefix) return false;
  key.remove_prefix(1);
  if (!get_fixed64_be(&key, &k.seg) || !get_fixed64_be(&key, &k.offset) || !key.empty()) {
    return false;
  }
  *out = k;
  return true;
}

// [lower, upper) bounds of every key with the given prefix.
inline std::string prefix_lower(char prefix) { return std::string(1, prefix); }
inline std::string prefix_upper(char prefix) {
  return std::string(1, static_cast<char>(prefix + 1));
}
// The label named by a label key.
inline std::string_view label_of(std::string_view label_key) { return label_key.substr(1); }

// FIFO "m": segments [head_seg, tail_seg) are held; the first head_off items
// of the head segment were already popped.
struct FifoMeta {
  std::uint64_t head_seg = 0;
  std::uint64_t head_off = 0;
  std::uint64_t tail_seg = 0;
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
};

// MPMC "m": held segments [head_seq, tail_seq), the head's first element
// index, bytes added before it and insertion time, elements and bytes ever
// added, newest insertion time and the item count of segment tail_seq - 1.
struct MpmcMeta {
  std::uint64_t head_seq = 0;
  std::uint64_t tail_seq = 0;
  std::uint64_t head_index = 0;
  std::uint64_t head_bytes_before = 0;
  std::uint64_t head_time_ms = 0;
  std::uint64_t next_index = 0;
  std::uint64_t added_bytes = 0;
  std::uint64_t last_time_ms = 0;
  std::uint64_t last_count = 0;
};

// MPMC "i" + seq: insertion time, item count, index of the segment's first
// element and bytes added before it.
struct MpmcIndexEntry {
  std::uint64_t time_ms = 0;
  std::uint64_t count = 0;
  std::uint64_t first_index = 0;
  std::uint64_t bytes_before = 0;
};

// MPMC "l" + label: the next element the label reads.
struct Cursor {
  std::uint64_t seq = 0;     // its segment
  std::uint64_t offset = 0;  // its position in that segment
  bool operator==(const Cursor& o) const { return seq == o.seq && offset == o.offset; }
};

namespace detail {

template <typename... Fields>
std::string encode_fields(Fields... fields) {
  std::string out;
  (put_varint64(&out, fields), ...);
  return out;
}

// Reads exactly the fields from in; false if they do not fill it.
template <typename... Fields>
bool decode_fields(std::string_view in, Fields*... fields) {
  return (get_varint64(&in, fields) && ...) && in.empty();
}

}  // namespace detail

inline std::string encode(const FifoMeta& m) {
  return detail::encode_fields(kMetaFormat, m.head_seg, m.head_off, m.tail_seg, m.count, m.bytes);
}
inline bool decode(std::string_view in, FifoMeta* out) {
  std::uint64_t format = 0;
  FifoMeta m;
  if (!detail::decode_fields(in, &format, &m.head_seg, &m.head_off, &m.tail_seg, &m.count,
                             &m.bytes) ||
      format != kMetaFormat) {
    return false;
  }
  *out = m;
  return true;
}

inline std::string encode(const MpmcMeta& m) {
  return detail::encode_fields(kMetaFormat, m.head_seq, m.tail_seq, m.head_index,
                               m.head_bytes_before, m.head_time_ms, m.next_index, m.added_bytes,
                               m.last_time_ms, m.last_count);
}
inline bool decode(std::string_view in, MpmcMeta* out) {
  std::uint64_t format = 0;
  MpmcMeta m;
  if (!detail::decode_fields(in, &format, &m.head_seq, &m.tail_seq, &m.head_index,
                             &m.head_bytes_before, &m.head_time_ms, &m.next_index,
                             &m.added_bytes, &m.last_time_ms, &m.last_count) ||
      format != kMetaFormat) {
    return false;
  }
  *out = m;
  return true;
}

inline std::string encode(const MpmcIndexEntry& e) {
  return detail::encode_fields(e.time_ms, e.count, e.first_index, e.bytes_before);
}
inline bool decode(std::string_view in, MpmcIndexEntry* out) {
  MpmcIndexEntry e;
  if (!detail::decode_fields(in, &e.time_ms, &e.count, &e.first_index, &e.bytes_before)) {
    return false;
  }
  *out = e;
  return true;
}

inline std::string encode(const Cursor& c) { return detail::encode_fields(c.seq, c.offset); }
inline bool decode(std::string_view in, Cursor* out) {
  Cursor c;
  if (!detail::decode_fields(in, &c.seq, &c.offset)) return false;
  *out = c;
  return true;
}

// FIFO "r" + key: how many times the items were reserved, then the items in
// the encoding of a segment (segment.hpp).
inline std::string encode_chunk_header(std::uint64_t deliveries) {
  return detail::encode_fields(deliveries);
}
// Splits a chunk record into its delivery count and its segment encoding.
inline bool decode_chunk_header(std::string_view* in, std::uint64_t* deliveries) {
  return get_varint64(in, deliveries);
}

// "t": the TTL in seconds.
inline std::string encode_ttl(std::uint64_t seconds) { return detail::encode_fields(seconds); }
inline bool decode_ttl(std::string_view in, std::uint64_t* seconds) {
  std::uint64_t s = 0;
  if (!detail::decode_fields(in, &s)) return false;
  *seconds = s;
  return true;
}

}  // namespace layout
}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_LAYOUT_HPP_
