#include "store/sync_events.h"

#include <gtest/gtest.h>

#include "store/store.h"
#include "test_util.h"

namespace weft {
namespace {

using testing::TempDir;

SyncEvent Event(const std::string& peer, std::int64_t at, std::string error = "") {
  SyncEvent e;
  e.at_ms = at;
  e.peer = peer;
  e.trigger = "timer";
  e.direction = "pull";
  e.pulled = at % 7;
  e.names = "A.b.c";
  e.error = std::move(error);
  e.duration_ms = 12;
  return e;
}

TEST(SyncEvents, RecordsAndListsNewestFirstPerPeer) {
  TempDir dir;
  auto s = Store::Init(dir.Sub("s"), "laptop");
  ASSERT_TRUE(s) << s.error().message();
  Db& db = (*s)->db();
  SyncEvent with_release = Event("desktop", 1);
  with_release.their_release = 1;
  ASSERT_TRUE(RecordSyncEvent(db, with_release));
  ASSERT_TRUE(RecordSyncEvent(db, Event("server", 2)));
  ASSERT_TRUE(RecordSyncEvent(db, Event("desktop", 3, "desktop is not reachable")));
  auto all = ListSyncEvents(db, "", 10);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].at_ms, 3);
  EXPECT_EQ((*all)[2].at_ms, 1);
  EXPECT_EQ((*all)[2].their_release, std::optional<std::int64_t>(1));
  EXPECT_FALSE((*all)[1].their_release);
  EXPECT_EQ((*all)[2].names, "A.b.c");
  auto desktop = ListSyncEvents(db, "desktop", 10);
  ASSERT_TRUE(desktop);
  ASSERT_EQ(desktop->size(), 2u);
  for (const auto& e : *desktop) EXPECT_EQ(e.peer, "desktop");
  auto one = ListSyncEvents(db, "", 1);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().error, "desktop is not reachable");
}

TEST(SyncEvents, KeepsOnlyTheNewest) {
  TempDir dir;
  auto s = Store::Init(dir.Sub("s"), "laptop");
  ASSERT_TRUE(s) << s.error().message();
  Db& db = (*s)->db();
  for (int i = 1; i <= 25; ++i) ASSERT_TRUE(RecordSyncEvent(db, Event("desktop", i), 10));
  auto all = ListSyncEvents(db, "", 100);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 10u);
  EXPECT_EQ(all->front().at_ms, 25);
  EXPECT_EQ(all->back().at_ms, 16);
  EXPECT_EQ(*db.QueryInt("SELECT COUNT(*) FROM sync_events"), 10);
}

TEST(SyncEvents, SummaryHasTheLastSuccessAndTheLastError) {
  TempDir dir;
  auto s = Store::Init(dir.Sub("s"), "laptop");
  ASSERT_TRUE(s) << s.error().message();
  Db& db = (*s)->db();
  ASSERT_TRUE(RecordSyncEvent(db, Event("desktop", 1)));
  ASSERT_TRUE(RecordSyncEvent(db, Event("desktop", 2, "refused")));
  ASSERT_TRUE(RecordSyncEvent(db, Event("desktop", 3)));
  ASSERT_TRUE(RecordSyncEvent(db, Event("server", 4, "unreachable")));
  auto summary = SummarizeSyncEvents(db);
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->size(), 2u);
  const PeerSyncSummary& d = (*summary)[0];
  EXPECT_EQ(d.peer, "desktop");
  ASSERT_TRUE(d.last_success && d.last_error);
  EXPECT_EQ(d.last_success->at_ms, 3);
  EXPECT_EQ(d.last_error->at_ms, 2);
  const PeerSyncSummary& sv = (*summary)[1];
  EXPECT_FALSE(sv.last_success);
  ASSERT_TRUE(sv.last_error);
  EXPECT_EQ(sv.last_error->error, "unreachable");
}

}  // namespace
}  // namespace weft
