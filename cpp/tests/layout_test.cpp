// The on-disk layout is frozen: existing databases must keep opening.  Each
// value is checked byte for byte against a known example.
#include "storage/layout.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rocksq {
namespace internal {
namespace layout {
namespace {

using namespace std::string_literals;

// Decoding bytes gives example; every proper prefix of them, and them with a
// trailing byte, is rejected and leaves the output untouched.
template <typename T>
void expect_round_trip_and_strict(const std::string& bytes, const T& example, const T& other) {
  T decoded = other;
  ASSERT_TRUE(decode(bytes, &decoded));
  EXPECT_EQ(encode(decoded), encode(example));
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    T out = other;
    EXPECT_FALSE(decode(bytes.substr(0, n), &out)) << "prefix of " << n << " bytes";
    EXPECT_EQ(encode(out), encode(other)) << "prefix of " << n << " bytes";
  }
  T out = other;
  EXPECT_FALSE(decode(bytes + "\x01"s, &out)) << "trailing byte";
  EXPECT_EQ(encode(out), encode(other));
}

TEST(LayoutTest, Keys) {
  EXPECT_EQ(kKindKey, "k");
  EXPECT_EQ(kMetaKey, "m");
  EXPECT_EQ(kTtlKey, "t");
  EXPECT_EQ(segment_key(0x0102), "d\0\0\0\0\0\0\x01\x02"s);
  EXPECT_EQ(index_key(0xff), "i\0\0\0\0\0\0\0\xff"s);
  EXPECT_EQ(label_key("ab"), "lab");
  EXPECT_EQ(label_of(label_key("ab")), "ab");
  EXPECT_EQ(prefix_lower(kSegmentPrefix), "d");
  EXPECT_EQ(prefix_upper(kLabelPrefix), "m");
  // Keys sort numerically.
  EXPECT_LT(segment_key(255), segment_key(256));
}

TEST(LayoutTest, FifoMeta) {
  const FifoMeta m{1, 2, 300, 4, 5};
  // Format 1, head_seg, head_off, tail_seg (300 = 0xac 0x02), count, bytes.
  const std::string bytes = "\x01\x01\x02\xac\x02\x04\x05"s;
  EXPECT_EQ(encode(m), bytes);
  expect_round_trip_and_strict(bytes, m, FifoMeta{9, 9, 9, 9, 9});
}

TEST(LayoutTest, FifoMetaRejectsUnknownFormat) {
  FifoMeta out;
  EXPECT_FALSE(decode("\x02\x01\x02\x03\x04\x05"s, &out));
  EXPECT_EQ(out.tail_seg, 0u);
}

TEST(LayoutTest, MpmcMeta) {
  const MpmcMeta m{1, 2, 3, 4, 128, 6, 7, 8, 9};
  // Format 1, head_seq, tail_seq, head_index, head_bytes_before,
  // head_time_ms (128 = 0x80 0x01), next_index, added_bytes, last_time_ms,
  // last_count.
  const std::string bytes = "\x01\x01\x02\x03\x04\x80\x01\x06\x07\x08\x09"s;
  EXPECT_EQ(encode(m), bytes);
  expect_round_trip_and_strict(bytes, m, MpmcMeta{9, 9, 9, 9, 9, 9, 9, 9, 9});
  MpmcMeta out;
  EXPECT_FALSE(decode("\x00"s + bytes.substr(1), &out));
}

TEST(LayoutTest, MpmcIndexEntry) {
  const MpmcIndexEntry e{1700000000000, 3, 4, 5};
  const std::string bytes = "\x80\xd0\x95\xff\xbc\x31\x03\x04\x05"s;
  EXPECT_EQ(encode(e), bytes);
  expect_round_trip_and_strict(bytes, e, MpmcIndexEntry{9, 9, 9, 9});
}

TEST(LayoutTest, Cursor) {
  const Cursor c{2, 0x3fff};
  const std::string bytes = "\x02\xff\x7f"s;
  EXPECT_EQ(encode(c), bytes);
  expect_round_trip_and_strict(bytes, c, Cursor{9, 9});
}

TEST(LayoutTest, Ttl) {
  EXPECT_EQ(encode_ttl(3600), "\x90\x1c"s);
  std::uint64_t seconds = 7;
  ASSERT_TRUE(decode_ttl("\x90\x1c"s, &seconds));
  EXPECT_EQ(seconds, 3600u);
  EXPECT_FALSE(decode_ttl("\x90"s, &seconds));
  EXPECT_FALSE(decode_ttl("\x90\x1c\x01"s, &seconds));
  EXPECT_EQ(seconds, 3600u);
}

}  // namespace
}  // namespace layout
}  // namespace internal
}  // namespace rocksq
