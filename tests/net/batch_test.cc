#include "net/batch.h"

#include <gtest/gtest.h>

namespace weft::net {
namespace {

TEST(Batch, MessagesRoundTripInOrder) {
  std::vector<Bytes> messages = {Bytes{1, 2, 3}, Bytes(70000, 7), Bytes{9}};
  std::string body = EncodeBatch(messages);
  EXPECT_EQ(body.size(), 3 * 4 + 3 + 70000 + 1);
  auto frames = DecodeBatch(body, 8);
  ASSERT_TRUE(frames) << frames.error().message();
  ASSERT_EQ(frames->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(Bytes((*frames)[i].begin(), (*frames)[i].end()), messages[i]);
  }
  auto empty = DecodeBatch("", 8);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

TEST(Batch, AMalformedBatchIsAProtocolErrorNeverARead) {
  std::string body = EncodeBatch({Bytes{1, 2, 3}, Bytes{4, 5}});
  // Cut anywhere inside: every prefix but the whole and the first frame fails.
  for (std::size_t cut = 1; cut < body.size(); ++cut) {
    if (cut == 7) continue;  // exactly the first frame
    auto r = DecodeBatch(std::string_view(body).substr(0, cut), 8);
    ASSERT_FALSE(r) << "cut at " << cut;
    EXPECT_EQ(r.error().code(), ErrorCode::kProtocol);
  }
  // A length past the end, and an empty frame.
  std::string huge = body;
  huge[0] = '\x7f';
  EXPECT_FALSE(DecodeBatch(huge, 8));
  EXPECT_FALSE(DecodeBatch(std::string("\0\0\0\0", 4), 8));
  // More frames than allowed.
  auto many = DecodeBatch(EncodeBatch({Bytes{1}, Bytes{2}, Bytes{3}}), 2);
  ASSERT_FALSE(many);
  EXPECT_NE(many.error().message().find("more than 2"), std::string::npos);
}

}  // namespace
}  // namespace weft::net
