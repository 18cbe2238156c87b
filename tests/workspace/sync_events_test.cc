#include "workspace/sync_events.h"

#include <gtest/gtest.h>

namespace weft::workspace {
namespace {

TEST(SyncEventOf, DirectionCountsAndNamesComeFromWhatMoved) {
  SyncReport r;
  r.session.received.resize(2);
  r.session.sent = 3;
  r.arrived = {"A.b.c", "branch feature"};
  r.conflicts_auto_resolved = 1;
  r.verdict = SyncVerdict::kInSync;
  SyncEvent e = SyncEventOf("desktop", "heads", 1000, std::chrono::milliseconds(12), r);
  EXPECT_EQ(e.direction, "both");
  EXPECT_EQ(e.pulled, 2);
  EXPECT_EQ(e.pushed, 3);
  EXPECT_EQ(e.names, "A.b.c,branch feature");
  EXPECT_EQ(e.conflicts, 1);
  EXPECT_EQ(e.duration_ms, 12);
  EXPECT_TRUE(e.error.empty());
  r.session.sent = 0;
  EXPECT_EQ(SyncEventOf("d", "t", 0, {}, r).direction, "pull");
  r.session.received.clear();
  EXPECT_EQ(SyncEventOf("d", "t", 0, {}, r).direction, "none");
}

TEST(SyncEventOf, AFailureOrAnIncompleteSyncIsAnError) {
  Result<SyncReport> failed =
      std::unexpected(Error(ErrorCode::kUnavailable, "desktop is not reachable"));
  SyncEvent e = SyncEventOf("desktop", "timer", 5, std::chrono::milliseconds(1), failed);
  EXPECT_EQ(e.error, "desktop is not reachable");
  EXPECT_EQ(e.direction, "none");
  EXPECT_FALSE(e.their_release);
  SyncReport r;
  r.verdict = SyncVerdict::kIncomplete;
  r.reason = "stopped at the 30 s timeout";
  EXPECT_EQ(SyncEventOf("d", "t", 0, {}, r).error, "stopped at the 30 s timeout");
}

TEST(SyncEventOf, ManyNamesAreCutShort) {
  SyncReport r;
  r.verdict = SyncVerdict::kInSync;
  for (int i = 0; i < 10000; ++i) r.arrived.push_back("Big.Module.name" + std::to_string(i));
  SyncEvent e = SyncEventOf("d", "t", 0, {}, r);
  EXPECT_LE(e.names.size(), 1100u);
  EXPECT_NE(e.names.find("more"), std::string::npos);
  EXPECT_EQ(e.names.rfind("Big.Module.name0,", 0), 0u);
}

}  // namespace
}  // namespace weft::workspace
