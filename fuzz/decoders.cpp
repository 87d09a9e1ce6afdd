// libFuzzer target: every decoder of on-disk data (layout.hpp, coding.hpp,
// segment.hpp) on arbitrary bytes.  The first byte picks the decoder.  A
// decoder must never crash, and what it accepts must encode to a value it
// decodes to the same thing.  (Encodings are not canonical: varints with
// redundant 0x80 bytes are accepted; harmless, the writers never make them.)
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/coding.hpp"
#include "storage/layout.hpp"
#include "storage/segment.hpp"

namespace layout = rocksq::internal::layout;
using rocksq::internal::Segment;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "decoders: %s\n", what);
  std::abort();
}

template <typename T, typename Same>
void round_trip(std::string_view in, Same same) {
  T value;
  if (!layout::decode(in, &value)) return;
  const std::string again = layout::encode(value);
  T back;
  if (!layout::decode(again, &back) || !same(value, back)) fail("round trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0:
      round_trip<layout::FifoMeta>(in, [](const auto& a, const auto& b) {
        return a.head_seg == b.head_seg && a.head_off == b.head_off && a.tail_seg == b.tail_seg &&
               a.count == b.count && a.bytes == b.bytes;
      });
      break;
    case 1:
      round_trip<layout::MpmcMeta>(in, [](const auto& a, const auto& b) {
        return a.head_seq == b.head_seq && a.tail_seq == b.tail_seq &&
               a.head_index == b.head_index && a.head_bytes_before == b.head_bytes_before &&
               a.head_time_ms == b.head_time_ms && a.next_index == b.next_index &&
               a.added_bytes == b.added_bytes && a.last_time_ms == b.last_time_ms &&
               a.last_count == b.last_count;
      });
      break;
    case 2:
      round_trip<layout::MpmcIndexEntry>(in, [](const auto& a, const auto& b) {
        return a.time_ms == b.time_ms && a.count == b.count && a.first_index == b.first_index &&
               a.bytes_before == b.bytes_before;
      });
      break;
    case 3:
      round_trip<layout::Cursor>(in, [](const auto& a, const auto& b) {
        return a.seq == b.seq && a.offset == b.offset;
      });
      break;
    case 4: {
      std::uint64_t ttl = 0;
      std::uint64_t back = 0;
      if (layout::decode_ttl(in, &ttl) &&
          (!layout::decode_ttl(layout::encode_ttl(ttl), &back) || back != ttl)) {
        fail("ttl");
      }
      break;
    }
    case 5: {
      Segment segment;
      if (!rocksq::internal::decode_segment(in, &segment)) break;
      std::uint64_t bytes = 0;
      for (const auto& item : segment.items) bytes += item.size();
      if (bytes != segment.bytes) fail("segment bytes");
      std::string again;
      rocksq::internal::encode_segment(segment.items, 0, segment.items.size(), &again);
      Segment back;
      if (!rocksq::internal::decode_segment(again, &back) || back.items != segment.items) {
        fail("segment round trip");
      }
      break;
    }
    case 6: {
      // Keys: numbered keys and their numbers.
      std::string_view rest = in;
      std::uint64_t n = 0;
      if (rocksq::internal::get_fixed64_be(&rest, &n)) {
        if (layout::segment_key(n).substr(1) != in.substr(0, 8)) fail("numbered key");
      }
      rest = in;
      std::uint64_t v = 0;
      if (rocksq::internal::get_varint64(&rest, &v)) {
        std::string again;
        rocksq::internal::put_varint64(&again, v);
        std::string_view view = again;
        std::uint64_t back = 0;
        if (again.size() != rocksq::internal::varint_length(v) ||
            !rocksq::internal::get_varint64(&view, &back) || back != v || !view.empty()) {
          fail("varint");
        }
      }
      break;
    }
    case 7: {
      // A chunk record's key, and its value: a delivery count and a segment.
      layout::ChunkKey key;
      if (layout::decode_chunk_key(in, &key)) {
        layout::ChunkKey back;
        if (!layout::decode_chunk_key(layout::chunk_key(key), &back) || !(back == key)) {
          fail("chunk key round trip");
        }
      }
      std::string_view value = in;
      std::uint64_t deliveries = 0;
      Segment segment;
      if (layout::decode_chunk_header(&value, &deliveries) &&
          rocksq::internal::decode_segment(value, &segment)) {
        std::string again = layout::encode_chunk_header(deliveries);
        rocksq::internal::encode_segment(segment.items, 0, segment.items.size(), &again);
        std::string_view view = again;
        std::uint64_t deliveries_back = 0;
        Segment back;
        if (!layout::decode_chunk_header(&view, &deliveries_back) ||
            deliveries_back != deliveries || !rocksq::internal::decode_segment(view, &back) ||
            back.items != segment.items) {
          fail("chunk record round trip");
        }
      }
      break;
    }
  }
  return 0;
}
