// Faults between instances: a store restored from a backup that authors again, a
// change too large for any message, a peer that refuses what it is sent.
#include <gtest/gtest.h>

#include "fold/queries.h"
#include "instance.h"
#include "store/blob_store.h"
#include "store/peers.h"

namespace weft::scenarios {
namespace {

using weft::testing::TempDir;

bool Holds(Instance& i, const std::set<ChangeHash>& changes) {
  auto mine = i.Changes();
  return std::includes(mine.begin(), mine.end(), changes.begin(), changes.end());
}

// a backs up, authors (a, seq 2), syncs it to b, is restored in place (same host,
// same path, same actor) and authors (a, seq 2) again with other content.
struct RestoredBackup {
  TempDir dir;
  Instance a{dir, "a"};
  Instance b{dir, "b"};
  ActorId forked;
  RestoredBackup() {
    a.Author("val R.M.one = 1");
    Sync(a, "a", b, "b");
    a.Backup(dir.Sub("a-backup"));
    a.Author("val R.M.two = 2");  // reaches b, then is lost with the restore
    Sync(a, "a", b, "b");
    forked = a.store().actor();
    a.Restore(dir.Sub("a-backup"));
    a.Author("val R.M.three = 3");
  }
};

TEST(Faults, ARestoredBackupReissuesItsNewWorkAndTheSyncCompletes) {
  RestoredBackup w;
  auto& [dir, a, b, forked] = w;
  EXPECT_EQ(a.store().actor(), forked);  // same host and path: nothing to notice yet
  a.Reload("b");
  b.Reload("a");
  auto r = Sync(a, "a", b, "b");
  EXPECT_TRUE(r.quiet);
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_NE(r.notices[0].find("re-issued 1 change"), std::string::npos) << r.notices[0];
  EXPECT_NE(a.store().actor(), forked);
  ExpectConverged(a, b);
  for (const char* name : {"R.M.one", "R.M.two", "R.M.three"}) {
    auto bound = FindBinding(b.store().db(), "main", name);
    ASSERT_TRUE(bound && *bound) << name;
  }
  // The new actor is ours: "mine" still finds our side after the re-issue.
  EXPECT_TRUE(*IsOwnActor(a.store().db(), a.store().actor()));
  EXPECT_TRUE(*IsOwnActor(a.store().db(), forked));
  // And nothing is left to do: another session moves nothing.
  auto again = Sync(a, "a", b, "b");
  EXPECT_TRUE(again.received.empty());
  EXPECT_EQ(again.sent, 0u);
  EXPECT_TRUE(again.problems.empty());
}

TEST(Faults, APullFromARestoredStoreRefusesTheClashOnceAndStopsAtOnce) {
  RestoredBackup w;
  auto& [dir, a, b, forked] = w;
  // b pulls from a: a is read-only, so only b can notice, and it cannot fix a.
  sync::SyncState b_state, a_state;
  a_state.options.read_only = true;
  auto r = net::SyncStores(b.store(), a.store(), b_state, a_state, 1000);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->quiet);
  EXPECT_LT(r->rounds, 10u);
  ASSERT_EQ(r->problems.size(), 1u);  // once, not once per round
  EXPECT_NE(r->problems[0].find("reuses seq 2"), std::string::npos) << r->problems[0];
}

TEST(Faults, AChangeTooLargeForAnyMessageIsReportedAndNotClaimedAsPulled) {
  TempDir dir;
  Instance a(dir, "a"), b(dir, "b");
  // Stored before the per-change cap: three 24 MiB items in one change.
  std::vector<Op> ops;
  std::vector<Item> items;
  for (int i = 0; i < 3; ++i) {
    items.push_back(weft::testing::TextItem(std::string(24u << 20, static_cast<char>('a' + i))));
    ops.push_back(AddItem{items.back().Hash()});
  }
  Change big;
  big.actor = ActorId::Random();
  big.seq = 1;
  big.hlc = Hlc::From(1000, 0);
  big.branch = "main";
  big.ops = ops;
  auto appended = Ledger(a.store()).Append({EncodedChange::FromChange(big)}, items);
  ASSERT_TRUE(appended && appended->applied.size() == 1);
  sync::SyncState b_state, a_state;
  a_state.options.read_only = true;
  auto r = net::SyncStores(b.store(), a.store(), b_state, a_state, 1000);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->received.empty());
  ASSERT_FALSE(r->problems.empty());
  EXPECT_NE(r->problems[0].find("too large for one sync message"), std::string::npos);
  EXPECT_FALSE(Holds(b, a.Changes()));
}

TEST(Faults, ADeadlineBoundsASession) {
  TempDir dir;
  Instance a(dir, "a"), b(dir, "b");
  for (int i = 0; i < 20; ++i)
    a.Author("val D.M.v" + std::to_string(i) + " = " + std::to_string(i));
  net::SessionOptions options;
  options.deadline = std::chrono::steady_clock::now();  // already past
  auto r = net::SyncStores(a.store(), b.store(), a.StateFor("b"), b.StateFor("a"), options);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->timed_out);
  EXPECT_EQ(r->messages, 0u);
  EXPECT_TRUE(b.Changes().empty());
}

TEST(Faults, ADamagedPeerStoreIsNamedInTheError) {
  TempDir dir;
  Instance a(dir, "a"), b(dir, "b");
  b.Author("val D.M.v = 1");
  ASSERT_TRUE(b.store().db().Exec("UPDATE changes SET bytes = x'00'"));
  net::SessionOptions options;
  options.peer_label = "desktop";
  auto r = net::SyncStores(a.store(), b.store(), a.StateFor("b"), b.StateFor("a"), options);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kCorruption);
  EXPECT_NE(r.error().message().find("the store of desktop"), std::string::npos)
      << r.error().message();
}

}  // namespace
}  // namespace weft::scenarios
