// Races that exist only through propagation are tied to the race on their cause.
#include <gtest/gtest.h>

#include "fold/conflict_queries.h"
#include "fold_fixture.h"

namespace weft {
namespace {

using testing::AppendAll;
using testing::Bind;
using testing::Conflicts;
using testing::FakeItem;
using testing::MakeStore;
using testing::ScriptedAuthor;
using testing::TempDir;

Op Repointed(const std::string& loc, const std::string& text, const std::string& cause) {
  return Repoint{Namespace::kTerm, loc, FakeItem(text), Namespace::kTerm, cause};
}

const ConflictInfo* At(const std::vector<ConflictInfo>& cs, const std::string& loc) {
  for (const auto& c : cs) {
    if (c.location == loc) return &c;
  }
  return nullptr;
}

TEST(ConflictTies, DependentsRepointedOnBothSidesAreTiedToTheHelpersRace) {
  TempDir dir;
  auto s = MakeStore(dir, "s");
  ScriptedAuthor a{1000}, b{2000};
  EncodedChange base =
      a.Make({Bind("H.M.helper", "h0"), Bind("H.D.one", "d0"), Bind("H.D.two", "e0")});
  EncodedChange mine = a.Make({Bind("H.M.helper", "h1"), Repointed("H.D.one", "d1", "H.M.helper"),
                               Repointed("H.D.two", "e1", "H.M.helper")});
  EncodedChange theirs = b.Make({Bind("H.M.helper", "h2"), Repointed("H.D.one", "d2", "H.M.helper"),
                                 Repointed("H.D.two", "e2", "H.M.helper")},
                                {base.hash});
  AppendAll(*s, {base, mine, theirs});
  auto cs = Conflicts(*s);
  ASSERT_EQ(cs.size(), 3u);
  const ConflictInfo* helper = At(cs, "H.M.helper");
  ASSERT_NE(helper, nullptr);
  EXPECT_FALSE(helper->cause);
  EXPECT_EQ(helper->dependents.size(), 2u);
  EXPECT_TRUE(helper->AwaitingReview());
  for (const char* loc : {"H.D.one", "H.D.two"}) {
    const ConflictInfo* dep = At(cs, loc);
    ASSERT_NE(dep, nullptr) << loc;
    ASSERT_TRUE(dep->cause) << loc;
    EXPECT_EQ(*dep->cause, helper->id);
    EXPECT_FALSE(dep->AwaitingReview());  // listed under its cause
  }
}

TEST(ConflictTies, ADependentEditedByHandOnOneSideIsARaceOfItsOwn) {
  TempDir dir;
  auto s = MakeStore(dir, "s");
  ScriptedAuthor a{1000}, b{2000};
  EncodedChange base = a.Make({Bind("H.M.helper", "h0"), Bind("H.D.one", "d0")});
  EncodedChange mine = a.Make({Bind("H.M.helper", "h1"), Repointed("H.D.one", "d1", "H.M.helper")});
  EncodedChange theirs =
      b.Make({Bind("H.M.helper", "h2"), Bind("H.D.one", "by hand")}, {base.hash});
  AppendAll(*s, {base, mine, theirs});
  auto cs = Conflicts(*s);
  const ConflictInfo* dep = At(cs, "H.D.one");
  ASSERT_NE(dep, nullptr);
  EXPECT_FALSE(dep->cause);
  EXPECT_TRUE(dep->AwaitingReview());
  EXPECT_TRUE(At(cs, "H.M.helper")->dependents.empty());
}

}  // namespace
}  // namespace weft
