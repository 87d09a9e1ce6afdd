#include "storage/segment.hpp"

#include <gtest/gtest.h>

using rocksq::internal::decode_segment;
using rocksq::internal::encode_segment;
using rocksq::internal::kSegmentMaxBytes;
using rocksq::internal::kSegmentMaxItems;
using rocksq::internal::Segment;
using rocksq::internal::split_into_segments;

TEST(Segment, RoundTripsItemsIncludingEmptyAndBinary) {
  const std::vector<std::string> items = {"", "a", std::string("\0\xff\x80", 3), std::string(300, 'x')};
  std::string value;
  encode_segment(items, 0, items.size(), &value);
  Segment segment;
  ASSERT_TRUE(decode_segment(value, &segment));
  EXPECT_EQ(segment.items, items);
  EXPECT_EQ(segment.bytes, 0u + 1 + 3 + 300);
}

TEST(Segment, RejectsTruncatedAndTrailingBytes) {
  std::string value;
  encode_segment({"hello", "world"}, 0, 2, &value);
  Segment segment;
  EXPECT_FALSE(decode_segment(std::string_view(value).substr(0, value.size() - 1), &segment));
  EXPECT_FALSE(decode_segment(value + "x", &segment));
  EXPECT_FALSE(decode_segment("", &segment));
}

TEST(Segment, SplitsLargeBatchesWithinLimits) {
  std::vector<std::string> many(kSegmentMaxItems * 2 + 1, "x");
  auto ranges = split_into_segments(many);
  ASSERT_EQ(ranges.size(), 3u);
  EXPECT_EQ(ranges[0], std::make_pair(std::size_t{0}, kSegmentMaxItems));
  EXPECT_EQ(ranges[2].second, many.size());

  std::vector<std::string> big(3, std::string(kSegmentMaxBytes / 2 + 1, 'y'));
  ranges = split_into_segments(big);
  EXPECT_EQ(ranges.size(), 3u);

  // One item larger than the byte limit still gets a segment of its own.
  std::vector<std::string> huge(1, std::string(kSegmentMaxBytes + 10, 'z'));
  EXPECT_EQ(split_into_segments(huge).size(), 1u);
}
