#include "fold/ledger.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "fold_fixture.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "store/wip.h"

namespace weft {
namespace {

using testing::Bind;
using testing::DigestHex;
using testing::FakeItem;
using testing::MakeStore;
using testing::ScriptedAuthor;
using testing::TempDir;

Result<std::optional<ItemHash>> BoundItem(Store& s, const std::string& branch,
                                          const std::string& loc) {
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      s.db().Prepare("SELECT item FROM locations WHERE branch = ? AND ns = 1 AND location = ?"));
  q.Bind(branch, loc);
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<ItemHash>();
  return std::optional<ItemHash>(ItemHash::FromBytes(q.Blob(0)));
}

int Divergent(Store& s, const std::string& loc) {
  auto q = s.db().Prepare("SELECT divergent FROM locations WHERE branch = 'main' AND location = ?");
  q->Bind(loc);
  return q->Step().value_or(false) ? static_cast<int>(q->Int(0)) : -1;
}

TEST(Ledger, AppendingTheSameChangeTwiceIsANoOp) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor author;
  EncodedChange c = author.Make({Bind("Demo.M.x", "1")});
  Ledger ledger(*s);
  auto first = ledger.Append({c});
  ASSERT_TRUE(first);
  EXPECT_EQ(first->applied.size(), 1u);
  std::string before = DigestHex(*s);
  auto second = ledger.Append({c});
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->applied.empty());
  ASSERT_EQ(second->already_present.size(), 1u);
  EXPECT_EQ(second->already_present[0], c.hash);
  EXPECT_EQ(DigestHex(*s), before);
  EXPECT_EQ(*CountChanges(s->db()), 1);
}

TEST(Ledger, AChangeWithMissingDepsWaitsAcrossReopenThenApplies) {
  TempDir dir;
  ScriptedAuthor author;
  EncodedChange c1 = author.Make({Bind("Demo.M.x", "1")});
  EncodedChange c2 = author.Make({Bind("Demo.M.x", "2")});
  {
    auto s = MakeStore(dir, "a");
    auto r = Ledger(*s).Append({c2});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->pending.size(), 1u);
    EXPECT_EQ(*CountChanges(s->db()), 0);
    EXPECT_EQ(*CountPending(s->db()), 1);
  }
  auto s = Store::Open(dir.Sub("a"), Store::Access::kReadWrite);
  ASSERT_TRUE(s);
  auto r = Ledger(**s).Append({c1});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->applied.size(), 2u);
  EXPECT_TRUE(r->pending.empty());
  EXPECT_EQ(*CountPending((*s)->db()), 0);
  EXPECT_EQ(**BoundItem(**s, "main", "Demo.M.x"), FakeItem("2"));
}

TEST(Ledger, SequentialEditsAreNotDivergentAndTheLatestWins) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  ScriptedAuthor b(1);  // b's own clock is far behind a's
  EncodedChange c1 = a.Make({Bind("Demo.M.x", "1")});
  EncodedChange c2 = b.Make({Bind("Demo.M.x", "2")}, {c1.hash});
  ASSERT_TRUE(Ledger(*s).Append({c1, c2}));
  // c2 saw c1: it follows it, whatever b's clock said.
  EXPECT_GT(c2.change.hlc, c1.change.hlc);
  EXPECT_EQ(**BoundItem(*s, "main", "Demo.M.x"), FakeItem("2"));
  EXPECT_EQ(Divergent(*s, "Demo.M.x"), 0);
}

TEST(Ledger, AChangeStampedAtOrBeforeADependencyIsRefusedAsCorrupt) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  EncodedChange c1 = a.Make({Bind("Demo.M.x", "1")});
  for (const Hlc stamp : {Hlc::From(1, 0), c1.change.hlc}) {
    Change c;
    c.actor = ActorId::Random();
    c.seq = 1;
    c.deps = {c1.hash};
    c.hlc = stamp;
    c.branch = "main";
    c.ops = {Bind("Demo.M.x", "2")};
    EncodedChange c2 = EncodedChange::FromChange(std::move(c));
    auto r = Ledger(*s).Append({c1, c2});
    ASSERT_TRUE(r) << r.error().message();
    ASSERT_EQ(r->rejected.size(), 1u);
    EXPECT_EQ(r->rejected[0].error.code(), ErrorCode::kCorruption);
    EXPECT_NE(r->rejected[0].error.message().find("must be stamped after what it depends on"),
              std::string::npos)
        << r->rejected[0].error.message();
    EXPECT_EQ(**BoundItem(*s, "main", "Demo.M.x"), FakeItem("1"));
  }
}

TEST(Ledger, ConcurrentEditsDivergeAndTheGreatestStampWins) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  ScriptedAuthor b;
  EncodedChange ca = a.Make({Bind("Demo.M.x", "from-a")}, {}, "main", Hlc::From(5000, 0));
  EncodedChange cb = b.Make({Bind("Demo.M.x", "from-b")}, {}, "main", Hlc::From(4000, 0));
  ASSERT_TRUE(Ledger(*s).Append({cb, ca}));
  EXPECT_EQ(**BoundItem(*s, "main", "Demo.M.x"), FakeItem("from-a"));
  EXPECT_EQ(Divergent(*s, "Demo.M.x"), 1);
}

TEST(Ledger, EqualStampsAreBrokenByChangeHash) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  ScriptedAuthor b;
  EncodedChange ca = a.Make({Bind("Demo.M.x", "from-a")}, {}, "main", Hlc::From(5000, 0));
  EncodedChange cb = b.Make({Bind("Demo.M.x", "from-b")}, {}, "main", Hlc::From(5000, 0));
  ASSERT_TRUE(Ledger(*s).Append({ca, cb}));
  const std::string expected = ca.hash > cb.hash ? "from-a" : "from-b";
  EXPECT_EQ(**BoundItem(*s, "main", "Demo.M.x"), FakeItem(expected));
}

TEST(Ledger, ConcurrentIdenticalBindsAreNotDivergent) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  ScriptedAuthor b;
  ASSERT_TRUE(
      Ledger(*s).Append({a.Make({Bind("Demo.M.x", "same")}), b.Make({Bind("Demo.M.x", "same")})}));
  EXPECT_EQ(Divergent(*s, "Demo.M.x"), 0);
}

TEST(Ledger, ADuplicateActorSeqWithOtherContentIsRejected) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  EncodedChange good = a.Make({Bind("Demo.M.x", "1")});
  Change forged = good.change;
  forged.ops = {Bind("Demo.M.x", "evil")};
  EncodedChange bad = EncodedChange::FromChange(forged);
  auto r = Ledger(*s).Append({good, bad});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].hash, bad.hash);
  EXPECT_EQ(r->rejected[0].error.code(), ErrorCode::kConflict);
  EXPECT_EQ(**BoundItem(*s, "main", "Demo.M.x"), FakeItem("1"));
}

TEST(Ledger, ASeqThatSkipsItsAuthorsPreviousChangeIsRejected) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  Change c;
  c.actor = ActorId::Random();
  c.seq = 2;
  c.branch = "main";
  c.ops = {Bind("Demo.M.x", "1")};
  auto r = Ledger(*s).Append({EncodedChange::FromChange(c)});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(*CountChanges(s->db()), 0);
}

TEST(Ledger, AddingAnItemWithoutItsBlobIsRejected) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  auto r = Ledger(*s).Append({a.Make({AddItem{FakeItem("x")}})});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->rejected.size(), 1u);
  EXPECT_EQ(r->rejected[0].error.code(), ErrorCode::kNotFound);
}

TEST(Ledger, CommitTurnsStagedOpsIntoOneChangeAndClearsThem) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  Item item = testing::TextItem("hello");
  ASSERT_TRUE(PutBlob(s->db(), item));
  ASSERT_TRUE(StageOp(s->db(), "main", AddItem{item.Hash()}));
  ASSERT_TRUE(StageOp(s->db(), "main", SetName{Namespace::kTerm, "Demo.M.hello", item.Hash()}));
  Ledger ledger(*s);
  auto c1 = ledger.Commit("first");
  ASSERT_TRUE(c1) << c1.error().message();
  EXPECT_EQ(c1->change.seq, 1u);
  EXPECT_EQ(c1->change.ops.size(), 2u);
  EXPECT_TRUE(LoadStaged(s->db(), "main")->empty());
  auto none = ledger.Commit("again");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(StageOp(s->db(), "main", Unname{Namespace::kTerm, "Demo.M.hello"}));
  auto c2 = ledger.Commit("second");
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->change.seq, 2u);
  EXPECT_EQ(c2->change.deps, std::vector<ChangeHash>{c1->hash});
  EXPECT_GT(c2->change.hlc, c1->change.hlc);
  EXPECT_FALSE(*BoundItem(*s, "main", "Demo.M.hello"));
  EXPECT_EQ(*LogHeads(s->db()), std::vector<ChangeHash>{c2->hash});
}

TEST(Ledger, CommitTakesExactlyTheStagedRowsItReadsInItsTransaction) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  auto other = Store::Open(s->dir(), Store::Access::kReadWrite);
  ASSERT_TRUE(other);
  Item one = testing::TextItem("one");
  Item two = testing::TextItem("two");
  ASSERT_TRUE(PutBlob(s->db(), one));
  ASSERT_TRUE(PutBlob(s->db(), two));
  ASSERT_TRUE(StageOp(s->db(), "main", SetName{Namespace::kTerm, "Demo.M.one", one.Hash()}));
  // The other connection stages while this one has not begun its commit: the commit
  // reads both inside its transaction, commits both and removes both.
  ASSERT_TRUE(StageOp((*other)->db(), "main", SetName{Namespace::kTerm, "Demo.M.two", two.Hash()}));
  auto c = Ledger(*s).Commit("both");
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_EQ(c->change.ops.size(), 2u);
  EXPECT_EQ(*CountStaged(s->db(), "main"), 0);
  // Staged after the commit: left for the next one.
  ASSERT_TRUE(StageOp((*other)->db(), "main", Unname{Namespace::kTerm, "Demo.M.one"}));
  EXPECT_EQ(*CountStaged(s->db(), "main"), 1);
  auto again = Ledger(**other).Commit("rest");
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(again->change.ops.size(), 1u);
  EXPECT_EQ(again->change.seq, 2u);  // the same actor: seq read inside the transaction
}

TEST(Ledger, AChangeIsNeverStampedBelowOneAnotherConnectionStored) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  auto slow = Store::Open(s->dir(), Store::Access::kReadWrite, [] { return std::uint64_t{5}; });
  ASSERT_TRUE(slow);
  auto first = Ledger(*s).AuthorChange({CreateBranch{"b1"}}, "one");
  ASSERT_TRUE(first);
  // `slow` opened before `first` existed and its wall clock is far behind.
  auto second = Ledger(**slow).AuthorChange({CreateBranch{"b2"}}, "two");
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_GT(second->change.hlc, first->change.hlc);
}

TEST(Ledger, AChangeTooLargeForOneSyncMessageIsRefusedAtCommit) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  std::vector<Op> ops;
  for (int i = 0; i < 3; ++i) {
    Item big = testing::TextItem(std::string(12u << 20, static_cast<char>('a' + i)));
    ASSERT_TRUE(PutBlob(s->db(), big));
    ASSERT_TRUE(StageOp(s->db(), "main", AddItem{big.Hash()}));
  }
  auto c = Ledger(*s).Commit("huge");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(c.error().message().find("at most 32 MiB"), std::string::npos);
  EXPECT_EQ(*CountStaged(s->db(), "main"), 3);  // nothing lost
  EXPECT_EQ(*CountChanges(s->db()), 0);
}

TEST(Ledger, RebuildIsByteIdentical) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  ScriptedAuthor b;
  EncodedChange c1 = a.Make({Bind("Demo.M.x", "1"), Deprecate{"Demo.M.x", "old", std::nullopt}});
  EncodedChange c2 = b.Make({Bind("Demo.M.x", "2"), Bind("Demo.M.y", "3")});
  EncodedChange c3 = a.Make({CreateBranch{"feature"}}, {c2.hash});
  EncodedChange c4 = a.Make({Bind("Demo.M.z", "4")}, {}, "feature");
  ASSERT_TRUE(Ledger(*s).Append({c1, c2, c3, c4}));
  std::string before = DigestHex(*s);
  ASSERT_TRUE(Ledger(*s).Rebuild());
  EXPECT_EQ(DigestHex(*s), before);
}

TEST(Ledger, ABranchSeesItsBaseButMainDoesNotSeeTheBranch) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  EncodedChange base = a.Make({Bind("Demo.M.x", "base")});
  EncodedChange fork = a.Make({CreateBranch{"feature"}});
  EncodedChange on_branch = a.Make({Bind("Demo.M.x", "feature")}, {}, "feature");
  EncodedChange on_main = a.Make({Bind("Demo.M.y", "main-only")}, {}, "main");
  ASSERT_TRUE(Ledger(*s).Append({base, fork, on_branch, on_main}));
  EXPECT_EQ(**BoundItem(*s, "feature", "Demo.M.x"), FakeItem("feature"));
  EXPECT_EQ(**BoundItem(*s, "main", "Demo.M.x"), FakeItem("base"));
  EXPECT_FALSE(*BoundItem(*s, "feature", "Demo.M.y"));
  EXPECT_EQ(*BranchHeads(s->db(), "feature"), std::vector<ChangeHash>{on_branch.hash});
}

TEST(Ledger, ACorruptStoredChangeFailsRebuildAndLeavesProjectionsUntouched) {
  TempDir dir;
  auto s = MakeStore(dir, "a");
  ScriptedAuthor a;
  ASSERT_TRUE(Ledger(*s).Append({a.Make({Bind("Demo.M.x", "1")})}));
  std::string before = DigestHex(*s);
  ASSERT_TRUE(s->db().Exec("UPDATE changes SET bytes = substr(bytes, 1, length(bytes) - 1)"));
  auto r = Ledger(*s).Rebuild();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_EQ(DigestHex(*s), before);
}

TEST(Ledger, ACrashBeforeCommitLeavesNoPartialChange) {
  TempDir dir;
  ScriptedAuthor a;
  EncodedChange c1 = a.Make({Bind("Demo.M.x", "1")});
  EncodedChange c2 = a.Make({Bind("Demo.M.x", "2"), Bind("Demo.M.y", "2")});
  std::string before;
  {
    auto s = MakeStore(dir, "a");
    ASSERT_TRUE(Ledger(*s).Append({c1}));
    before = DigestHex(*s);
  }
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = Store::Open(dir.Sub("a"), Store::Access::kReadWrite);
    if (!s) _exit(2);
    Ledger ledger(**s);
    ledger.SetBeforeCommitHookForTesting([] { _exit(9); });  // dies mid-transaction
    (void)ledger.Append({c2});
    _exit(3);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 9);
  auto s = Store::Open(dir.Sub("a"), Store::Access::kReadWrite);
  ASSERT_TRUE(s);
  EXPECT_EQ(*CountChanges((*s)->db()), 1);
  EXPECT_EQ(DigestHex(**s), before);
  EXPECT_TRUE(Ledger(**s).Append({c2}));
  EXPECT_EQ(*CountChanges((*s)->db()), 2);
}

}  // namespace
}  // namespace weft

namespace weft {
namespace {

// Found by the convergence property (seed 2018): a branch created concurrently on
// two devices has two forks; the second fork widens the parent's view, and the
// views of branches forked from it must widen too, whatever the arrival order.
TEST(Ledger, ASecondForkOfAParentWidensItsChildBranchesInAnyOrder) {
  testing::ScriptedAuthor a;
  testing::ScriptedAuthor b;
  EncodedChange c0 = a.Make({testing::Bind("Demo.M.x", "0")});
  EncodedChange fork1 = a.Make({CreateBranch{"b2"}});
  EncodedChange c1 = b.Make({testing::Bind("Demo.M.y", "1")}, {c0.hash});
  // On b2, a change that has seen c1 forks b0.
  EncodedChange child = a.Make({CreateBranch{"b0"}}, {c1.hash}, "b2");
  EncodedChange fork2 = b.Make({CreateBranch{"b2"}});
  testing::TempDir dir;
  auto late = testing::MakeStore(dir, "late");
  ASSERT_TRUE(Ledger(*late).Append({c0, fork1, c1, child, fork2}));
  auto early = testing::MakeStore(dir, "early");
  ASSERT_TRUE(Ledger(*early).Append({c0, fork1, c1, fork2, child}));
  EXPECT_EQ(testing::DigestHex(*late), testing::DigestHex(*early));
  EXPECT_EQ(**BoundItem(*late, "b0", "Demo.M.y"), testing::FakeItem("1"));
}

}  // namespace
}  // namespace weft
