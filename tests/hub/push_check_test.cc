#include "hub/push_check.h"

#include <gtest/gtest.h>

#include "hub_changes.h"

namespace weft::hub {
namespace {

using testing::Built;
using testing::MakeChange;
using testing::PushOf;

PushVerdict Check(const std::vector<Built>& push, const TenantView& tenant = {},
                  std::size_t cap = 1u << 20) {
  auto decoded = DecodePush(PushOf(push));
  EXPECT_TRUE(decoded.has_value());
  return CheckPush(std::move(*decoded), tenant, cap);
}

TEST(PushCheck, AcceptsAChainInCausalOrderWhateverOrderItCameIn) {
  const ActorId a = ActorId::Random();
  Built c1 = MakeChange(a, 1, {}, "one");
  Built c2 = MakeChange(a, 2, {c1.change.hash}, "two");
  Built c3 = MakeChange(a, 3, {c2.change.hash}, "three");
  PushVerdict v = Check({c3, c1, c2});
  ASSERT_FALSE(v.refusal) << v.sentence;
  ASSERT_EQ(v.accepted.size(), 3u);
  EXPECT_EQ(v.accepted[0].hash, c1.change.hash);
  EXPECT_EQ(v.accepted[1].hash, c2.change.hash);
  EXPECT_EQ(v.accepted[2].hash, c3.change.hash);
  // Each keeps the blob of the item it adds, and only that one.
  auto blobs = DecodeBlobs(v.accepted[1].blobs);
  ASSERT_TRUE(blobs.has_value());
  ASSERT_EQ(blobs->size(), 1u);
  EXPECT_EQ((*blobs)[0].hash, c2.blob.hash);
}

TEST(PushCheck, WhatTheTenantHoldsIsADuplicateNotAnError) {
  const ActorId a = ActorId::Random();
  Built c1 = MakeChange(a, 1, {}, "one");
  Built c2 = MakeChange(a, 2, {c1.change.hash}, "two");
  TenantView t;
  t.present = {c1.change.hash};
  t.clock[a] = 1;
  PushVerdict v = Check({c1, c2, c2}, t);
  ASSERT_FALSE(v.refusal) << v.sentence;
  EXPECT_EQ(v.duplicates, 2u);
  ASSERT_EQ(v.accepted.size(), 1u);
  EXPECT_EQ(v.accepted[0].hash, c2.change.hash);
}

TEST(PushCheck, AMissingDepRefusesThePushAndNamesIt) {
  const ActorId a = ActorId::Random(), b = ActorId::Random();
  Built elsewhere = MakeChange(b, 1, {}, "not pushed");
  Built c1 = MakeChange(a, 1, {elsewhere.change.hash}, "one");
  PushVerdict v = Check({c1});
  ASSERT_EQ(v.refusal, PushRefusal::kMissingDeps);
  ASSERT_EQ(v.missing.size(), 1u);
  EXPECT_EQ(v.missing[0], elsewhere.change.hash.Hex());
  EXPECT_TRUE(v.accepted.empty());
}

TEST(PushCheck, AnActorsSequenceMustContinueWithoutAGap) {
  const ActorId a = ActorId::Random();
  Built c1 = MakeChange(a, 1, {}, "one");
  Built c3 = MakeChange(a, 3, {c1.change.hash}, "three");
  PushVerdict v = Check({c1, c3});
  EXPECT_EQ(v.refusal, PushRefusal::kNotContiguous);
  EXPECT_NE(v.sentence.find("continues at sequence 2, but the push has 3"), std::string::npos)
      << v.sentence;
  // The tenant's clock counts: seq 1 again, for a tenant that holds 1 of another change.
  TenantView t;
  t.clock[a] = 1;
  Built other1 = MakeChange(a, 1, {}, "another one");
  EXPECT_EQ(Check({other1}, t).refusal, PushRefusal::kNotContiguous);
}

TEST(PushCheck, ABlobMustHashToItsItemAndBeThere) {
  const ActorId a = ActorId::Random();
  Built c1 = MakeChange(a, 1, {}, "one");
  Built forged = c1;
  forged.blob.canonical.back() ^= 1;
  PushVerdict v = Check({forged});
  EXPECT_EQ(v.refusal, PushRefusal::kBadHash);
  sync::Message m = PushOf({c1});
  m.blobs.clear();
  auto decoded = DecodePush(m);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(CheckPush(std::move(*decoded), {}, 1u << 20).refusal, PushRefusal::kMissingBlob);
}

TEST(PushCheck, AChangeOverTheCapIsRefused) {
  const ActorId a = ActorId::Random();
  Built big = MakeChange(a, 1, {}, std::string(4000, 'x'));
  EXPECT_EQ(Check({big}, {}, 1000).refusal, PushRefusal::kChangeTooLarge);
  EXPECT_FALSE(Check({big}, {}, 100000).refusal);
}

TEST(PushCheck, BytesThatAreNoChangeDoNotDecode) {
  sync::Message m;
  m.changes.push_back(Bytes{1, 2, 3});
  auto decoded = DecodePush(m);
  ASSERT_FALSE(decoded.has_value());
  EXPECT_EQ(decoded.error().code(), ErrorCode::kProtocol);
}

TEST(PushCheck, BlobsRoundTripAndTrailingBytesAreRefused) {
  Built c = MakeChange(ActorId::Random(), 1, {}, "x");
  Bytes enc = EncodeBlobs({c.blob, c.blob});
  auto back = DecodeBlobs(enc);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 2u);
  EXPECT_EQ((*back)[1].canonical, c.blob.canonical);
  enc.push_back(0);
  EXPECT_FALSE(DecodeBlobs(enc).has_value());
}

}  // namespace
}  // namespace weft::hub
