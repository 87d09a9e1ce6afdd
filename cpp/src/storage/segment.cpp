#include "segment.hpp"

#include <stdexcept>
#include <string>

#include "coding.hpp"

namespace rocksq {
namespace internal {

void encode_segment(const std::vector<std::string>& items, std::size_t begin,
                    std::size_t end, std::string* dst) {
  std::size_t total = varint_length(end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    total += varint_length(items[i].size()) + items[i].size();
  }
  dst->reserve(dst->size() + total);
  put_varint64(dst, end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    put_varint64(dst, items[i].size());
    dst->append(items[i]);
  }
}

void check_item_sizes(const std::vector<std::string>& items, const std::string& path,
                      const char* operation, std::uint64_t max_item_bytes) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].size() > max_item_bytes) {
      throw std::invalid_argument("rocksq: " + std::string(operation) + " failed for " + path +
                                  ": item " + std::to_string(i) + " holds " +
                                  std::to_string(items[i].size()) +
                                  " bytes, more than the largest item (" +
                                  std::to_string(max_item_bytes) + " bytes)");
    }
  }
}

void SegmentWriter::put(rocksdb::WriteBatch* batch, std::string_view key,
                        const std::vector<std::string>& items, std::size_t begin,
                        std::size_t end, std::string_view prefix) {
  // The varints first, all in one string, so that the slices into it stay put.
  varints_.clear();
  ends_.clear();
  put_varint64(&varints_, end - begin);
  ends_.push_back(varints_.size());
  for (std::size_t i = begin; i < end; ++i) {
    put_varint64(&varints_, items[i].size());
    ends_.push_back(varints_.size());
  }
  parts_.clear();
  if (!prefix.empty()) parts_.emplace_back(prefix.data(), prefix.size());
  parts_.emplace_back(varints_.data(), ends_[0]);
  for (std::size_t i = begin; i < end; ++i) {
    const std::size_t from = ends_[i - begin];
    parts_.emplace_back(varints_.data() + from, ends_[i - begin + 1] - from);
    parts_.emplace_back(items[i].data(), items[i].size());
  }
  const rocksdb::Slice key_slice(key.data(), key.size());
  batch->Put(rocksdb::SliceParts(&key_slice, 1),
             rocksdb::SliceParts(parts_.data(), static_cast<int>(parts_.size())));
}

bool decode_segment(std::string_view value, Segment* out) {
  std::uint64_t count = 0;
  if (!get_varint64(&value, &count) || count > value.size()) return false;
  out->items.clear();
  out->items.reserve(count);
  out->bytes = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint64_t len = 0;
    if (!get_varint64(&value, &len) || len > value.size()) return false;
    out->items.emplace_back(value.data(), len);
    out->bytes += len;
    value.remove_prefix(len);
  }
  return value.empty();
}

std::vector<std::pair<std::size_t, std::size_t>> split_into_segments(
    const std::vector<std::string>& items) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  std::size_t begin = 0;
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const bool full = i - begin >= kSegmentMaxItems ||
                      (i > begin && bytes + items[i].size() > kSegmentMaxBytes);
    if (full) {
      ranges.emplace_back(begin, i);
      begin = i;
      bytes = 0;
    }
    bytes += items[i].size();
  }
  if (begin < items.size()) ranges.emplace_back(begin, items.size());
  return ranges;
}

}  // namespace internal
}  // namespace rocksq
