// Base ops: an edit staged before a sync moved its slot follows only what its
// author saw, so overwriting the newer edit is a recorded race, in any order.
#include <gtest/gtest.h>

#include "fold/queries.h"
#include "fold_fixture.h"

namespace weft {
namespace {

using testing::AppendAll;
using testing::Bind;
using testing::CausalOrders;
using testing::Conflicts;
using testing::Folded;
using testing::FoldInOrder;
using testing::MakeStore;
using testing::ScriptedAuthor;
using testing::TempDir;

constexpr const char* kLoc = "Demo.M.v";

// A binds v = 0; B, having seen it, binds v = 2; A, having seen B's edit too but
// staged v = 1 against v = 0, commits with Base{v: [zero]}.
struct Overwrite {
  ScriptedAuthor a{5000}, b{2000};
  EncodedChange zero = a.Make({Bind(kLoc, "0")});
  EncodedChange two = b.Make({Bind(kLoc, "2")}, {zero.hash});
  EncodedChange one = a.Make({Base{Slot::kTerm, kLoc, {zero.hash}}, Bind(kLoc, "1")}, {two.hash});
};

TEST(EditBase, AnEditMadeBeforeANewerOneArrivedRacesWithIt) {
  TempDir dir;
  Overwrite w;
  Folded f = FoldInOrder(dir, "s", {w.zero, w.two, w.one});
  ASSERT_EQ(f.conflicts.size(), 1u);
  const ConflictInfo& race = f.conflicts[0];
  EXPECT_EQ(race.state, ConflictState::kOpen);
  EXPECT_EQ(race.candidates.size(), 2u);
  EXPECT_EQ(race.winner, w.one.hash);  // the later stamp wins, as for any race
  std::set<ChangeHash> sides;
  for (const auto& c : race.candidates) sides.insert(c.change);
  EXPECT_EQ(sides, (std::set<ChangeHash>{w.one.hash, w.two.hash}));
}

TEST(EditBase, WithoutABaseTheSameChangeSimplyFollows) {
  TempDir dir;
  ScriptedAuthor a{1000}, b{2000};
  EncodedChange zero = a.Make({Bind(kLoc, "0")});
  EncodedChange two = b.Make({Bind(kLoc, "2")}, {zero.hash});
  EncodedChange one = a.Make({Bind(kLoc, "1")}, {two.hash});
  Folded f = FoldInOrder(dir, "s", {zero, two, one});
  EXPECT_TRUE(f.conflicts.empty());
}

TEST(EditBase, TheRaceIsTheSameInEveryOrderAndAfterRebuild) {
  TempDir dir;
  Overwrite w;
  ScriptedAuthor c{3000};
  // A third instance edits concurrently too, and a fourth edit follows them all.
  EncodedChange three = c.Make({Bind(kLoc, "3")}, {w.zero.hash});
  EncodedChange later = c.Make({Bind(kLoc, "4")}, {w.one.hash});
  auto orders = CausalOrders({w.zero, w.two, w.one, three, later});
  ASSERT_EQ(orders.size(), 3u);
  Folded first = FoldInOrder(dir, "o0", orders[0]);
  for (std::size_t i = 1; i < orders.size(); ++i) {
    EXPECT_EQ(FoldInOrder(dir, "o" + std::to_string(i), orders[i]).digest, first.digest)
        << "order " << i;
  }
  auto s = MakeStore(dir, "rebuilt");
  AppendAll(*s, orders.back());
  const std::string before = testing::DigestHex(*s);
  ASSERT_TRUE(Ledger(*s).Rebuild());
  EXPECT_EQ(testing::DigestHex(*s), before);
}

TEST(EditBase, ABaseOutsideTheChangesPastIsRejected) {
  TempDir dir;
  auto s = MakeStore(dir, "s");
  ScriptedAuthor a{1000}, b{2000};
  EncodedChange elsewhere = b.Make({Bind("Demo.M.w", "x")});
  AppendAll(*s, {elsewhere});
  // Claims to have seen `elsewhere`, which is not among its deps.
  EncodedChange liar = a.Make({Base{Slot::kTerm, kLoc, {elsewhere.hash}}, Bind(kLoc, "1")});
  auto r = Ledger(*s).Append({liar});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_NE(r->rejected[0].error.message().find("outside its past"), std::string::npos);
}

}  // namespace
}  // namespace weft
