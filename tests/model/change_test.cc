#include "model/change.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <random>

#include "model/item.h"
#include "test_util.h"

namespace weft {
namespace {

// A fixed change touching every op kind; its bytes and hash are pinned in
// tests/golden/model_hashes.txt.
Change GoldenChange() {
  Change c;
  ActorId::Raw raw{};
  for (std::size_t i = 0; i < raw.size(); ++i) raw[i] = static_cast<std::uint8_t>(i + 1);
  c.actor = ActorId(raw);
  c.seq = 2;
  c.hlc = Hlc::From(1'700'000'000'000, 3);
  c.branch = "main";
  c.message = "golden";
  c.deps = {ChangeHash(Sha256Of(AsBytes("dep-b"))), ChangeHash(Sha256Of(AsBytes("dep-a")))};
  NormalizeDeps(c.deps);
  ItemHash item = testing::TextItem("42").Hash();
  c.ops = {AddItem{item},
           SetName{Namespace::kTerm, "Demo.Math.answer", item},
           Unname{Namespace::kType, "Demo.Geo.Point"},
           Deprecate{"Demo.Math.answer", "use Demo.Math.better", std::string("Demo.Math.better")},
           Undeprecate{"Demo.Math.old"},
           CreateBranch{"feature/x"}};
  return c;
}

// The ops of the conflicts-and-merge issue, in a change of their own so the
// first golden vector stays as it was.
Change GoldenReviewChange() {
  Change c = GoldenChange();
  c.ops = {Resolve{ConflictId(Sha256Of(AsBytes("conflict")))},
           SetName{Namespace::kTerm, "Demo.Math.answer", testing::TextItem("42").Hash()},
           MergeBranch{"feature/x"}, ArchiveBranch{"feature/x"}};
  return c;
}

// The ops of issue 9 (Base for staged edits overtaken by a sync, Repoint for
// propagated binds), again in a change of their own.
Change GoldenStagingChange() {
  Change c = GoldenChange();
  ItemHash item = testing::TextItem("42").Hash();
  c.ops = {
      Base{Slot::kTerm, "Demo.Math.answer", c.deps},
      Repoint{Namespace::kTerm, "Demo.Math.double", item, Namespace::kTerm, "Demo.Math.answer"},
      Base{Slot::kDeprecation, "Demo.Math.old", {}}};
  return c;
}

std::map<std::string, std::string> Golden() {
  std::ifstream in(std::string(WEFT_GOLDEN_DIR) + "/model_hashes.txt");
  std::map<std::string, std::string> out;
  std::string key, value;
  while (in >> key >> value) out[key] = value;
  return out;
}

TEST(Change, EncodeDecodeRoundTrips) {
  for (const Change& c : {GoldenChange(), GoldenReviewChange(), GoldenStagingChange()}) {
    Bytes bytes = EncodeChange(c);
    auto back = DecodeChange(bytes);
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, c);
    EXPECT_EQ(EncodeChange(*back), bytes);
  }
}

TEST(Change, HashesMatchTheGoldenVectors) {
  auto golden = Golden();
  ASSERT_FALSE(golden.empty()) << "tests/golden/model_hashes.txt is missing";
  EXPECT_EQ(EncodedChange::FromChange(GoldenChange()).hash.Hex(), golden["golden_change"]);
  EXPECT_EQ(EncodedChange::FromChange(GoldenReviewChange()).hash.Hex(),
            golden["golden_review_change"]);
  EXPECT_EQ(EncodedChange::FromChange(GoldenStagingChange()).hash.Hex(),
            golden["golden_staging_change"]);
  EXPECT_EQ(testing::TextItem("42").Hash().Hex(), golden["text_item_42"]);
  EXPECT_EQ(Item::Make(ItemKind::kFn, {testing::TextItem("42").Hash()}, {1, 2, 3}, {}).Hash().Hex(),
            golden["fn_item_with_ref"]);
}

TEST(Change, EveryTruncationIsCorruption) {
  Bytes bytes = EncodeChange(GoldenChange());
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    auto got = DecodeChange(ByteView(bytes.data(), len));
    ASSERT_FALSE(got) << "prefix " << len << " decoded";
    EXPECT_EQ(got.error().code(), ErrorCode::kCorruption);
  }
}

TEST(Change, BytesThatDoNotMatchTheirClaimedHashAreCorruption) {
  EncodedChange good = EncodedChange::FromChange(GoldenChange());
  EXPECT_TRUE(EncodedChange::FromClaimedBytes(good.bytes, good.hash));
  Change other = GoldenChange();
  other.message = "tampered";
  auto bad = EncodedChange::FromClaimedBytes(EncodeChange(other), good.hash);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kCorruption);
}

TEST(Change, ABaseWithAnUnsortedFrontierOrABadSlotIsCorruption) {
  Change c = GoldenStagingChange();
  Bytes bytes = EncodeChange(c);
  // The slot byte of the first op follows its kind byte (10).
  const std::size_t at =
      EncodeChange(Change{c.deps, c.actor, c.seq, c.hlc, c.branch, c.message, {}}).size();
  ASSERT_EQ(bytes[at], 10);
  Bytes bad_slot = bytes;
  bad_slot[at + 1] = 9;
  EXPECT_FALSE(DecodeChange(bad_slot));
  Change unsorted = c;
  auto& base = std::get<Base>(unsorted.ops[0]);
  std::swap(base.frontier[0], base.frontier[1]);
  EXPECT_FALSE(DecodeChange(EncodeChange(unsorted)));
}

TEST(Change, TrailingBytesAreCorruption) {
  Bytes bytes = EncodeChange(GoldenChange());
  bytes.push_back(0);
  EXPECT_FALSE(DecodeChange(bytes));
}

TEST(Change, FlippedBytesNeverCrashAndNeverKeepTheHash) {
  const unsigned seed = weft::testing::TestSeed();
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(seed);
  Bytes good = EncodeChange(GoldenChange());
  ChangeHash good_hash = HashChangeBytes(good);
  for (int i = 0; i < 5000; ++i) {
    Bytes bad = good;
    bad[rng() % bad.size()] ^= static_cast<std::uint8_t>(1 + rng() % 255);
    auto got = EncodedChange::FromBytes(bad);
    if (got) {
      EXPECT_NE(got->hash, good_hash);
    }
  }
}

TEST(Change, UnknownVersionOrZeroSeqIsRejected) {
  Bytes bytes = EncodeChange(GoldenChange());
  bytes[0] = 9;
  EXPECT_FALSE(DecodeChange(bytes));
  Change c = GoldenChange();
  c.seq = 0;
  EXPECT_FALSE(DecodeChange(EncodeChange(c)));
}

TEST(Change, InvalidNamesInsideAChangeAreRejected) {
  Change c = GoldenChange();
  c.ops = {Unname{Namespace::kTerm, "not a name"}};
  EXPECT_FALSE(DecodeChange(EncodeChange(c)));
  c = GoldenChange();
  c.branch = "-bad";
  EXPECT_FALSE(DecodeChange(EncodeChange(c)));
  c = GoldenChange();
  c.ops = {MergeBranch{"no spaces allowed"}};
  EXPECT_FALSE(DecodeChange(EncodeChange(c)));
  c.ops = {ArchiveBranch{""}};
  EXPECT_FALSE(DecodeChange(EncodeChange(c)));
}

TEST(Item, DisplayMetadataIsNotHashed) {
  Item a = Item::Make(ItemKind::kFn, {}, {1, 2, 3}, Bytes{'x'});
  Item b = Item::Make(ItemKind::kFn, {}, {1, 2, 3}, Bytes{'y', 'z'});
  EXPECT_EQ(a.Hash(), b.Hash());
}

TEST(Item, KindBodyAndRefsAreHashed) {
  Item base = Item::Make(ItemKind::kFn, {}, {1, 2, 3}, {});
  EXPECT_NE(base.Hash(), Item::Make(ItemKind::kVal, {}, {1, 2, 3}, {}).Hash());
  EXPECT_NE(base.Hash(), Item::Make(ItemKind::kFn, {}, {1, 2, 4}, {}).Hash());
  EXPECT_NE(base.Hash(), Item::Make(ItemKind::kFn, {base.Hash()}, {1, 2, 3}, {}).Hash());
}

TEST(Item, CanonicalBytesDecodeBack) {
  Item a = Item::Make(ItemKind::kFn, {testing::TextItem("b").Hash(), testing::TextItem("a").Hash()},
                      {9, 9}, Bytes{'d'});
  auto back = DecodeItem(a.kind, a.Canonical(), a.display);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->Hash(), a.Hash());
  EXPECT_EQ(back->refs, a.refs);
}

TEST(Names, LocationsAndBranchesAreValidated) {
  EXPECT_TRUE(ValidateLocation("Demo.Math.add"));
  EXPECT_TRUE(ValidateLocation("Me.f'"));
  EXPECT_FALSE(ValidateLocation("add"));
  EXPECT_FALSE(ValidateLocation("Demo..add"));
  EXPECT_FALSE(ValidateLocation("Demo.1add"));
  EXPECT_FALSE(ValidateLocation("Demo.Math.add "));
  EXPECT_FALSE(ValidateLocation(std::string(300, 'a')));
  EXPECT_TRUE(ValidateBranchName("feature/x-1"));
  EXPECT_FALSE(ValidateBranchName(""));
  EXPECT_FALSE(ValidateBranchName("-x"));
  EXPECT_FALSE(ValidateBranchName("a b"));
}

TEST(Op, UnknownKindIsCorruption) {
  Bytes bytes = {42};
  auto got = DecodeOpBytes(bytes);
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code(), ErrorCode::kCorruption);
}

}  // namespace
}  // namespace weft
