// Conflict scenarios across instances over the file carrier: races are recorded
// identically everywhere, resolutions travel, merges record their collisions.
#include "workspace/conflicts.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fold/conflict_queries.h"
#include "fold/queries.h"
#include "instance.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/peers.h"
#include "store/wip.h"
#include "workspace/branches.h"
#include "workspace/item_access.h"
#include "workspace/status.h"

namespace weft::scenarios {
namespace {

using weft::testing::TempDir;

constexpr const char* kGreeting = "Demo.App.greeting";

std::vector<ConflictInfo> ConflictsOf(Instance& i, const std::string& branch = "main") {
  auto c = ListConflicts(i.store().db(), branch);
  EXPECT_TRUE(c) << c.error().message();
  return c ? *c : std::vector<ConflictInfo>{};
}

std::optional<ItemHash> BoundItem(Instance& i, const std::string& loc) {
  auto b = FindBinding(i.store().db(), i.store().branch(), loc, Namespace::kTerm);
  EXPECT_TRUE(b);
  if (!b || !*b) return std::nullopt;
  return (*b)->item;
}

std::string Greeting(const std::string& text) {
  return std::string("val ") + kGreeting + " = \"" + text + "\"";
}

void Stage(Instance& i, const Op& op) {
  ASSERT_TRUE(StageOp(i.store().db(), i.store().branch(), op));
}
void Commit(Instance& i) { ASSERT_TRUE(Ledger(i.store()).Commit("edit")); }

void SwitchTo(Instance& i, const std::string& branch) {
  auto tx = Transaction::Begin(i.store().db());
  ASSERT_TRUE(tx);
  ASSERT_TRUE(i.store().SetBranch(branch));
  ASSERT_TRUE(tx->Commit());
}

std::set<ConflictId> Ids(const std::vector<ConflictInfo>& cs) {
  std::set<ConflictId> out;
  for (const auto& c : cs) out.insert(c.id);
  return out;
}

// Two instances sharing a first greeting, then racing on it.
struct Race {
  TempDir dir;
  Instance a{dir, "laptop"};
  Instance b{dir, "desktop"};
  Race() {
    a.Author(Greeting("hello"));
    Sync(a, "laptop", b, "desktop");
    a.Author(Greeting("hi from the laptop"));
    b.Author(Greeting("hi from the desktop"));
    Sync(a, "laptop", b, "desktop");
  }
};

TEST(ConflictScenarios, ConcurrentBindsConvergeAndAreRecordedOnBothWithOneId) {
  Race r;
  ExpectConverged(r.a, r.b);
  EXPECT_EQ(BoundItem(r.a, kGreeting), BoundItem(r.b, kGreeting));
  auto ca = ConflictsOf(r.a), cb = ConflictsOf(r.b);
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(cb.size(), 1u);
  EXPECT_EQ(ca[0].id, cb[0].id);
  EXPECT_EQ(ca[0].winner, cb[0].winner);
  EXPECT_TRUE(ca[0].AwaitingReview());
  // Nothing is lost: both candidates' sources print on both instances.
  for (Instance* i : {&r.a, &r.b}) {
    std::set<std::string> sources;
    for (const auto& e : ca[0].candidates) {
      auto o = DecodeOutcome(e.outcome);
      ASSERT_TRUE(o);
      auto src = PrintStoredItem(i->store().db(), "main", o->item);
      ASSERT_TRUE(src) << src.error().message();
      sources.insert(*src);
    }
    EXPECT_EQ(sources, (std::set<std::string>{Greeting("hi from the laptop"),
                                              Greeting("hi from the desktop")}));
  }
}

TEST(ConflictScenarios, EveryArrivalOrderAcrossThreeInstancesPicksTheSameWinner) {
  std::vector<std::pair<int, int>> pairs{{0, 1}, {1, 2}, {0, 2}};
  std::sort(pairs.begin(), pairs.end());
  std::optional<ItemHash> winner;
  std::set<ConflictId> ids;
  int orders = 0;
  // The three racing changes are made once, then delivered in every order.
  TempDir seed_dir;
  std::vector<std::unique_ptr<Instance>> seeds;
  for (const char* n : {"x", "y", "z"}) seeds.push_back(std::make_unique<Instance>(seed_dir, n));
  for (int k = 0; k < 3; ++k) seeds[k]->Author(Greeting("from " + std::to_string(k)));
  std::vector<EncodedChange> racing;
  for (auto& s : seeds) {
    for (const ChangeHash& h : s->Changes())
      racing.push_back(*LoadChange(s->store().db(), h).value());
  }
  std::vector<Item> blobs;
  for (auto& s : seeds) {
    auto b = BoundItem(*s, kGreeting);
    blobs.push_back(*LoadItem(s->store().db(), *b).value());
  }
  do {
    TempDir dir;
    std::vector<std::unique_ptr<Instance>> n;
    const std::vector<std::string> names{"a", "b", "c"};
    for (const auto& name : names) n.push_back(std::make_unique<Instance>(dir, name));
    // Instance k first holds racing change k alone.
    for (int k = 0; k < 3; ++k) {
      auto rep = Ledger(n[k]->store()).Append({racing[k]}, {blobs[k]});
      ASSERT_TRUE(rep);
    }
    for (int pass = 0; pass < 2; ++pass) {
      for (auto [x, y] : pairs) Sync(*n[x], names[x], *n[y], names[y]);
    }
    for (int k = 0; k < 3; ++k) {
      auto w = BoundItem(*n[k], kGreeting);
      if (!winner) winner = w;
      EXPECT_EQ(w, winner) << "order " << orders << " instance " << k;
      auto cs = ConflictsOf(*n[k]);
      ASSERT_EQ(cs.size(), 1u);
      EXPECT_EQ(cs[0].candidates.size(), 3u);
      ids.insert(cs[0].id);
    }
    ExpectConverged(*n[0], *n[1]);
    ExpectConverged(*n[1], *n[2]);
    ++orders;
  } while (std::next_permutation(pairs.begin(), pairs.end()));
  EXPECT_EQ(orders, 6);
  EXPECT_EQ(ids.size(), 1u);
}

TEST(ConflictScenarios, ResolveMineOnTheLosingSideReachesEveryInstance) {
  Race r;
  auto c = ConflictsOf(r.a).at(0);
  // Whoever lost resolves for their own side.
  Instance* loser = nullptr;
  std::optional<ItemHash> losing_item;
  for (const auto& e : c.candidates) {
    if (e.change == c.winner) continue;
    auto o = DecodeOutcome(e.outcome);
    losing_item = o->item;
    loser = e.actor == r.a.store().actor() ? &r.a : &r.b;
  }
  ASSERT_NE(loser, nullptr);
  auto loser_view = ConflictsOf(*loser).at(0);
  auto res = workspace::ResolveConflict(loser->store(), loser_view, "mine");
  ASSERT_TRUE(res) << res.error().message();
  Sync(r.a, "laptop", r.b, "desktop");
  ExpectConverged(r.a, r.b);
  for (Instance* i : {&r.a, &r.b}) {
    EXPECT_EQ(BoundItem(*i, kGreeting), losing_item);
    auto cs = ConflictsOf(*i);
    ASSERT_EQ(cs.size(), 1u);
    EXPECT_EQ(cs[0].id, c.id);
    EXPECT_EQ(cs[0].resolution, (ConflictResolution{ResolutionKind::kHuman, ""}));
    EXPECT_EQ(cs[0].state, ConflictState::kResolved);
    EXPECT_FALSE(cs[0].AwaitingReview());
  }
  // A newer edit still supersedes the resolution, by causality, with no new race.
  r.b.Author(Greeting("newer"));
  Sync(r.a, "laptop", r.b, "desktop");
  EXPECT_EQ(ConflictsOf(r.a).size(), 1u);
  EXPECT_EQ(BoundItem(r.a, kGreeting), BoundItem(r.b, kGreeting));
  EXPECT_NE(BoundItem(r.a, kGreeting), losing_item);
}

TEST(ConflictScenarios, ARenameRacingAnEditIsRecorded) {
  TempDir dir;
  Instance a(dir, "laptop"), b(dir, "desktop");
  a.Author(Greeting("hello"));
  Sync(a, "laptop", b, "desktop");
  auto item = BoundItem(a, kGreeting);
  Stage(a, Unname{Namespace::kTerm, kGreeting});
  Stage(a, SetName{Namespace::kTerm, "Demo.App.salutation", *item});
  Commit(a);
  b.Author(Greeting("hello, edited"));
  const auto edited = BoundItem(b, kGreeting);
  Sync(a, "laptop", b, "desktop");
  ExpectConverged(a, b);
  auto cs = ConflictsOf(a);
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].location, kGreeting);
  bool edit_kept = false;
  for (const auto& e : cs[0].candidates) {
    auto o = DecodeOutcome(e.outcome);
    edit_kept = edit_kept || (o->kind == DecodedOutcome::Kind::kBound && o->item == *edited);
  }
  EXPECT_TRUE(edit_kept) << "the edit must stay reachable from the record";
}

TEST(ConflictScenarios, ConcurrentDeprecateAndUndeprecateAreRecordedAndConverge) {
  TempDir dir;
  Instance a(dir, "laptop"), b(dir, "desktop");
  a.Author(Greeting("hello"));
  Stage(a, Deprecate{kGreeting, "old", std::nullopt});
  Commit(a);
  Sync(a, "laptop", b, "desktop");
  Stage(a, Deprecate{kGreeting, "really old", std::nullopt});
  Commit(a);
  Stage(b, Undeprecate{kGreeting});
  Commit(b);
  Sync(a, "laptop", b, "desktop");
  ExpectConverged(a, b);
  auto cs = ConflictsOf(b);
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(cs[0].slot, Slot::kDeprecation);
}

TEST(ConflictScenarios, SequentialEditsAcrossDevicesAreNotRecorded) {
  TempDir dir;
  Instance a(dir, "laptop"), b(dir, "desktop");
  for (int k = 0; k < 3; ++k) {
    a.Author(Greeting("a" + std::to_string(k)));
    Sync(a, "laptop", b, "desktop");
    b.Author(Greeting("b" + std::to_string(k)));
    Sync(a, "laptop", b, "desktop");
  }
  EXPECT_TRUE(ConflictsOf(a).empty());
  EXPECT_TRUE(ConflictsOf(b).empty());
}

TEST(ConflictScenarios, ConcurrentBindsOfIdenticalContentAreNotRecorded) {
  TempDir dir;
  Instance a(dir, "laptop"), b(dir, "desktop");
  a.Author("fn Demo.Math.add x y = x + y");
  b.Author("fn Demo.Math.add a b = a + b");  // alpha-equivalent: the same item
  Sync(a, "laptop", b, "desktop");
  ExpectConverged(a, b);
  EXPECT_TRUE(ConflictsOf(a).empty());
}

TEST(ConflictScenarios, ResyncingCreatesNoPhantomConflict) {
  Race r;
  const std::string digest = r.a.Digest();
  const auto ids = Ids(ConflictsOf(r.a));
  for (int k = 0; k < 3; ++k) {
    r.a.Reload("desktop");
    r.b.Reload("laptop");
    auto rep = Sync(r.b, "desktop", r.a, "laptop");
    EXPECT_EQ(rep.sent, 0u);
    EXPECT_TRUE(rep.received.empty());
  }
  EXPECT_EQ(r.a.Digest(), digest);
  EXPECT_EQ(Ids(ConflictsOf(r.a)), ids);
  EXPECT_EQ(Ids(ConflictsOf(r.b)), ids);
}

TEST(ConflictScenarios, RebuildReproducesTheConflictSet) {
  Race r;
  auto c = ConflictsOf(r.a).at(0);
  ASSERT_TRUE(workspace::ResolveConflict(r.a.store(), c, "theirs"));
  r.b.Author("val Demo.App.other = 1");
  r.a.Author("val Demo.App.other = 2");
  Sync(r.a, "laptop", r.b, "desktop");
  const auto before = ConflictsOf(r.b);
  ASSERT_EQ(before.size(), 2u);
  const std::string digest = r.b.Digest();
  ASSERT_TRUE(Ledger(r.b.store()).Rebuild());
  EXPECT_EQ(r.b.Digest(), digest);
  const auto after = ConflictsOf(r.b);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t k = 0; k < after.size(); ++k) {
    EXPECT_EQ(after[k].id, before[k].id);
    EXPECT_EQ(after[k].state, before[k].state);
    EXPECT_EQ(after[k].resolution, before[k].resolution);
  }
}

TEST(ConflictScenarios, AMergeWithCollisionsRecordsThemAsMergeOfTheBranch) {
  TempDir dir;
  Instance a(dir, "laptop"), b(dir, "desktop");
  a.Author(Greeting("hello"));
  a.Author("val Demo.App.other = 1");
  ASSERT_TRUE(Ledger(a.store()).AuthorChange({CreateBranch{"feature"}}, "branch"));
  SwitchTo(a, "feature");
  a.Author(Greeting("hello from the feature"));
  a.Author("val Demo.App.other = 2");
  const auto feature_greeting = BoundItem(a, kGreeting);
  SwitchTo(a, "main");
  a.Author(Greeting("hello from main"));
  // Refused while something is staged.
  Stage(a, Deprecate{"Demo.App.other", "x", std::nullopt});
  auto refused = workspace::MergeIntoCurrent(a.store(), "feature");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("staged"), std::string::npos);
  ASSERT_TRUE(ClearStaged(a.store().db(), "main"));
  auto merged = workspace::MergeIntoCurrent(a.store(), "feature");
  ASSERT_TRUE(merged) << merged.error().message();
  EXPECT_EQ(merged->collisions, std::vector<std::string>{kGreeting});
  EXPECT_EQ(BoundItem(a, kGreeting), feature_greeting);
  Sync(a, "laptop", b, "desktop");
  ExpectConverged(a, b);
  for (Instance* i : {&a, &b}) {
    auto cs = ConflictsOf(*i);
    ASSERT_EQ(cs.size(), 1u);
    EXPECT_EQ(cs[0].location, kGreeting);
    EXPECT_EQ(cs[0].resolution, (ConflictResolution{ResolutionKind::kMerge, "feature"}));
  }
  auto again = workspace::MergeIntoCurrent(a.store(), "feature");
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->up_to_date);
}

TEST(ConflictScenarios, ABranchMadeOnOneInstanceAppearsOnTheOther) {
  TempDir dir;
  Instance a(dir, "laptop"), b(dir, "desktop");
  a.Author(Greeting("hello"));
  ASSERT_TRUE(Ledger(a.store()).AuthorChange({CreateBranch{"experiment"}}, "branch"));
  SwitchTo(a, "experiment");
  a.Author(Greeting("experimental"));
  Sync(a, "laptop", b, "desktop");
  auto exists = BranchExists(b.store().db(), "experiment");
  ASSERT_TRUE(exists);
  EXPECT_TRUE(*exists);
  SwitchTo(b, "experiment");
  EXPECT_EQ(BoundItem(b, kGreeting), BoundItem(a, kGreeting));
  SwitchTo(b, "main");
  EXPECT_NE(BoundItem(b, kGreeting), BoundItem(a, kGreeting));
}

TEST(ConflictScenarios, AFarFutureStampConvergesAndStatusWarnsAboutItsClock) {
  TempDir dir;
  Instance a(dir, "laptop"), b(dir, "desktop");
  a.Author(Greeting("hello"));
  Sync(a, "laptop", b, "desktop");
  const std::uint64_t now = SystemMillis();
  // The desktop's clock runs 40 minutes fast.
  {
    auto skewed =
        Store::Open(b.dir(), Store::Access::kReadWrite, [now] { return now + 40 * 60'000; });
    ASSERT_TRUE(skewed);
    ASSERT_TRUE(workspace::AddSource(**skewed, Greeting("from the future"), "t.weft"));
    ASSERT_TRUE(Ledger(**skewed).Commit("skewed"));
  }
  Instance& desktop = b;
  a.Author(Greeting("from now"));
  Sync(a, "laptop", desktop, "desktop");
  ExpectConverged(a, desktop);
  // As `weft sync` does, the laptop learns the desktop's instance name.
  ASSERT_TRUE(RememberActorName(a.store().db(), desktop.store().actor(), "desktop"));
  auto cs = ConflictsOf(a);
  ASSERT_EQ(cs.size(), 1u);
  auto ahead = workspace::ClocksAhead(a.store(), now);
  ASSERT_TRUE(ahead);
  ASSERT_EQ(ahead->size(), 1u);
  EXPECT_EQ((*ahead)[0].instance, "desktop");
  EXPECT_GE((*ahead)[0].minutes, 39u);
  // An instance is not warned about its own stamps.
  auto self = workspace::ClocksAhead(desktop.store(), now);
  ASSERT_TRUE(self);
  EXPECT_TRUE(self->empty());
}

}  // namespace
}  // namespace weft::scenarios
