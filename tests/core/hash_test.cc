#include "core/hash.h"

#include <gtest/gtest.h>

namespace weft {
namespace {

using Hash = TypedHash<struct TestTag>;

TEST(Hash, Sha256MatchesTheStandardVectors) {
  EXPECT_EQ(DigestToHex(Sha256Of(AsBytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(DigestToHex(Sha256Of(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, StreamingEqualsOneShot) {
  Sha256 h;
  h.Update(std::string_view("ab"));
  h.Update(std::string_view("c"));
  EXPECT_EQ(h.Finish(), Sha256Of(AsBytes("abc")));
}

TEST(Hash, HexRoundTripsAndShortFormIsEightCharacters) {
  Hash h(Sha256Of(AsBytes("abc")));
  EXPECT_EQ(h.Short(), "ba7816bf");
  auto back = Hash::FromHex(h.Hex());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, h);
}

TEST(Hash, MalformedHexIsAnError) {
  EXPECT_FALSE(Hash::FromHex("abc"));
  EXPECT_FALSE(Hash::FromHex(std::string(64, 'g')));
  EXPECT_FALSE(Hash::FromHex(std::string(64, 'A')));  // lowercase only
}

TEST(Hash, PrefixNeedsAtLeastEightHexCharacters) {
  EXPECT_FALSE(IsHexPrefix("ba7816b"));
  EXPECT_TRUE(IsHexPrefix("ba7816bf"));
  EXPECT_FALSE(IsHexPrefix("ba7816bz"));
  EXPECT_FALSE(IsHexPrefix(std::string(65, 'a')));
}

}  // namespace
}  // namespace weft
