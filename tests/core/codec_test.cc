#include "core/codec.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>

#include "test_util.h"

namespace weft {
namespace {

TEST(Codec, VarintsRoundTripAtEveryWidth) {
  std::vector<std::uint64_t> values = {
      0, 1, 127, 128, 255, 300, 16383, 16384, UINT32_MAX, (std::uint64_t{1} << 56) + 3, UINT64_MAX};
  Writer w;
  for (auto v : values) w.PutVarint(v);
  Reader r(w.bytes());
  for (auto v : values) {
    auto got = r.GetVarint();
    ASSERT_TRUE(got) << got.error().message();
    EXPECT_EQ(*got, v);
  }
  EXPECT_TRUE(r.AtEnd());
}

TEST(Codec, VarintUsesMinimalLength) {
  Writer w;
  w.PutVarint(127);
  EXPECT_EQ(w.bytes().size(), 1u);
  w.PutVarint(128);
  EXPECT_EQ(w.bytes().size(), 3u);
}

TEST(Codec, NonMinimalVarintIsRejected) {
  const Bytes padded = {0x81, 0x00};  // 1 written in two bytes
  Reader r(padded);
  auto got = r.GetVarint();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kCorruption);
}

TEST(Codec, VarintLongerThanTenBytesIsRejected) {
  const Bytes endless(11, 0xff);
  Reader r(endless);
  EXPECT_FALSE(r.GetVarint());
  const Bytes overflow = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  Reader r2(overflow);
  EXPECT_FALSE(r2.GetVarint());
}

TEST(Codec, BytesStringsAndHashListsRoundTrip) {
  Writer w;
  w.PutString("hello");
  w.PutBytes(Bytes{});
  std::vector<Digest> list = {Sha256Of(AsBytes("b")), Sha256Of(AsBytes("a")),
                              Sha256Of(AsBytes("c"))};
  SortUnique(list);
  w.PutDigestList(list);
  Reader r(w.bytes());
  EXPECT_EQ(*r.GetString(), "hello");
  EXPECT_TRUE(r.GetBytes()->empty());
  EXPECT_EQ(*r.GetDigestList(), list);
  EXPECT_TRUE(r.ExpectEnd("test"));
}

TEST(Codec, UnsortedOrDuplicateHashListIsRejected) {
  Digest a = Sha256Of(AsBytes("a"));
  Digest b = Sha256Of(AsBytes("b"));
  for (auto order :
       {std::vector<Digest>{std::max(a, b), std::min(a, b)}, std::vector<Digest>{a, a}}) {
    Writer w;
    w.PutVarint(order.size());
    for (const auto& d : order) w.PutDigest(d);
    Reader r(w.bytes());
    auto got = r.GetDigestList();
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code(), ErrorCode::kCorruption);
  }
}

TEST(Codec, LengthBeyondTheInputIsRejectedWithoutReading) {
  Writer w;
  w.PutVarint(1'000'000);
  w.PutRaw(AsBytes("short"));
  Reader r(w.bytes());
  auto got = r.GetBytes();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kCorruption);
}

TEST(Codec, EveryTruncationOfAValidEncodingFailsCleanly) {
  Writer w;
  w.PutVarint(123456789);
  w.PutString("a string of some length");
  std::vector<Digest> list = {Sha256Of(AsBytes("x"))};
  w.PutDigestList(list);
  const Bytes& full = w.bytes();
  for (std::size_t len = 0; len < full.size(); ++len) {
    Reader r(ByteView(full.data(), len));
    bool ok = r.GetVarint() && r.GetString() && r.GetDigestList();
    EXPECT_FALSE(ok) << "prefix of length " << len << " decoded";
  }
}

TEST(Codec, RandomBytesNeverCrashTheReader) {
  const unsigned seed = weft::testing::TestSeed();
  std::mt19937 rng(seed);
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  for (int i = 0; i < 2000; ++i) {
    Bytes junk(rng() % 64);
    for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
    Reader r(junk);
    while (!r.AtEnd()) {
      bool ok = false;
      switch (rng() % 4) {
        case 0:
          ok = r.GetVarint().has_value();
          break;
        case 1:
          ok = r.GetBytes().has_value();
          break;
        case 2:
          ok = r.GetDigestList().has_value();
          break;
        default:
          ok = r.GetDigest().has_value();
          break;
      }
      if (!ok) break;
    }
    EXPECT_LE(r.remaining(), junk.size());
  }
}

}  // namespace
}  // namespace weft
