// A segment is the unit of storage: the items of one push (or add), stored as
// one RocksDB value.  Large pushes are split into several segments.
//
// Encoding: varint item count, then for each item a varint length and the
// item's bytes.
#ifndef ROCKSQ_SRC_STORAGE_SEGMENT_HPP_
#define ROCKSQ_SRC_STORAGE_SEGMENT_HPP_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/write_batch.h>

namespace rocksq {
namespace internal {

// Limits on one segment, so that a partially consumed segment stays cheap to
// re-read.
inline constexpr std::size_t kSegmentMaxItems = 4096;
inline constexpr std::size_t kSegmentMaxBytes = std::size_t{1} << 20;
// The largest item: a RocksDB value holds less than 4 GiB, and a segment of
// one item adds a header of at most 20 bytes (a chunk record 10 more).
inline constexpr std::uint64_t kMaxItemBytes = (std::uint64_t{1} << 32) - 64;

// Throws std::invalid_argument, naming path and operation, if an item is
// larger than max_item_bytes.
void check_item_sizes(const std::vector<std::string>& items, const std::string& path,
                      const char* operation, std::uint64_t max_item_bytes = kMaxItemBytes);

struct Segment {
  std::vector<std::string> items;
  std::uint64_t bytes = 0;  // sum of the items' sizes
};

// Appends the encoding of items[begin, end) to *dst.
void encode_segment(const std::vector<std::string>& items, std::size_t begin,
                    std::size_t end, std::string* dst);

// Puts segments into write batches straight from their items: no encoded
// copy of them is made first.  Keeps its scratch space between calls (a
// store owns one), so that a push allocates nothing here.
class SegmentWriter {
 public:
  // batch->Put(key, prefix + the encoding of items[begin, end)).
  void put(rocksdb::WriteBatch* batch, std::string_view key,
           const std::vector<std::string>& items, std::size_t begin, std::size_t end,
           std::string_view prefix = {});

 private:
  std::string varints_;
  std::vector<std::size_t> ends_;
  std::vector<rocksdb::Slice> parts_;
};

// Decodes a segment; false if value is malformed.
bool decode_segment(std::string_view value, Segment* out);

// Splits items into [begin, end) ranges that respect the segment limits.
std::vector<std::pair<std::size_t, std::size_t>> split_into_segments(
    const std::vector<std::string>& items);

}  // namespace internal
}  // namespace rocksq

#endif  // ROCKSQ_SRC_STORAGE_SEGMENT_HPP_
