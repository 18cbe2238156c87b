// Syncing as the domain layer offers it: a session over the file carrier, a
// verdict from what the peer's messages said, and `sync check` from its hello.
#include "workspace/sync.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "store/change_log.h"
#include "test_util.h"
#include "workspace/authoring.h"
#include "workspace/history.h"
#include "workspace/labels.h"
#include "workspace/peers.h"

namespace weft::workspace {
namespace {

using weft::testing::TempDir;

class SyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    a = Make("laptop");
    b = Make("desktop");
    auto abs = RegisterPeer(*a, "desktop", dir.Sub("desktop"));
    ASSERT_TRUE(abs) << abs.error().message();
  }
  std::unique_ptr<Store> Make(const std::string& name) {
    auto s = Store::Init(dir.Sub(name), name);
    EXPECT_TRUE(s) << s.error().message();
    return s ? std::move(*s) : nullptr;
  }
  static void Author(Store& s, const std::string& src) {
    ASSERT_TRUE(AddSource(s, src, "t.weft"));
    auto c = CommitStaged(s, "edit");
    ASSERT_TRUE(c) << c.error().message();
  }
  Target Desktop() {
    auto t = ResolveTargets(*a, "desktop");
    EXPECT_TRUE(t && t->size() == 1);
    return t ? t->front() : Target{};
  }
  static std::int64_t Count(Store& s) { return *CountChanges(s.db()); }

  TempDir dir;
  std::unique_ptr<Store> a, b;
};

TEST_F(SyncTest, CheckCountsWhatWouldMoveFromThePeersHello) {
  Author(*a, "val Demo.M.a = 1");
  Author(*a, "val Demo.M.b = 2");
  Author(*b, "val Demo.M.c = 3");
  auto r = CheckPeer(*a, Desktop());
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_FALSE(r->impossible) << r->impossible->message();
  ASSERT_TRUE(r->hello);
  EXPECT_EQ(r->hello->instance, "desktop");
  EXPECT_EQ(r->hello->actor, b->actor());
  EXPECT_EQ(r->hello->changes, 1u);
  EXPECT_EQ(r->to_push, 2u);
  EXPECT_EQ(r->to_pull, 1u);
  EXPECT_EQ(Count(*b), 1) << "a check writes nothing";
}

TEST_F(SyncTest, ASyncIsInSyncAndEachSideLearnsTheOthersName) {
  Author(*a, "val Demo.M.a = 1");
  Author(*b, "val Demo.M.c = 3");
  auto r = SyncWithPeer(*a, Desktop(), {});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->verdict, SyncVerdict::kInSync) << r->reason;
  EXPECT_TRUE(r->session.confirmed);
  EXPECT_EQ(r->session.sent, 1u);
  EXPECT_EQ(r->session.received.size(), 1u);
  EXPECT_EQ(r->arrived, std::vector<std::string>{"Demo.M.c"});
  ASSERT_TRUE(r->session.peer);
  EXPECT_EQ(r->session.peer->instance, "desktop");
  EXPECT_EQ(Count(*a), 2);
  EXPECT_EQ(Count(*b), 2);
  EXPECT_EQ(AuthorLabel(*a, b->actor()), "desktop");
  EXPECT_EQ(AuthorLabel(*b, a->actor()), "laptop");
  // The shared heads persist: a second session has nothing to move.
  auto again = SyncWithPeer(*a, Desktop(), {});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->verdict, SyncVerdict::kInSync);
  EXPECT_TRUE(again->session.sent == 0 && again->session.received.empty());
}

TEST_F(SyncTest, APullReceivesAndWritesNothingThere) {
  Author(*a, "val Demo.M.a = 1");
  Author(*b, "val Demo.M.c = 3");
  SyncRequest pull;
  pull.pull = true;
  auto r = SyncWithPeer(*a, Desktop(), pull);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->verdict, SyncVerdict::kPulled);
  EXPECT_FALSE(r->session.confirmed);
  EXPECT_EQ(r->session.missing_there.size(), 1u);
  EXPECT_EQ(Count(*a), 2);
  EXPECT_EQ(Count(*b), 1);
  EXPECT_EQ(AuthorLabel(*b, a->actor()).find("laptop"), std::string::npos)
      << "a pull does not even record our name there";
}

// --confirm means the peer holds our heads. A pull sends nothing, so it is never
// confirmed while the peer lacks any of our changes, even when the peer is empty
// and nothing at all was said about shared history.
TEST_F(SyncTest, AFirstPullFromAnEmptyPeerIsNotConfirmed) {
  Author(*a, "val Demo.M.a = 1");
  SyncRequest pull;
  pull.pull = true;
  auto r = SyncWithPeer(*a, Desktop(), pull);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->session.confirmed);
  EXPECT_EQ(r->session.missing_there.size(), 1u);
  EXPECT_EQ(Count(*b), 0);
  // A full sync then confirms, and a pull after it does too: nothing is missing.
  auto full = SyncWithPeer(*a, Desktop(), {});
  ASSERT_TRUE(full) << full.error().message();
  EXPECT_TRUE(full->session.confirmed);
  auto again = SyncWithPeer(*a, Desktop(), pull);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_TRUE(again->session.confirmed);
  // One new change here: the pull is not confirmed again.
  Author(*a, "val Demo.M.b = 2");
  auto after = SyncWithPeer(*a, Desktop(), pull);
  ASSERT_TRUE(after) << after.error().message();
  EXPECT_FALSE(after->session.confirmed);
}

TEST_F(SyncTest, APeerThatIsGoneIsUnreachableForCheckAndSync) {
  b.reset();
  std::filesystem::remove_all(dir.Sub("desktop"));
  auto check = CheckPeer(*a, Desktop());
  ASSERT_TRUE(check);
  ASSERT_TRUE(check->impossible);
  EXPECT_EQ(check->impossible->code(), ErrorCode::kUnavailable);
  auto sync = SyncWithPeer(*a, Desktop(), {});
  ASSERT_FALSE(sync);
  EXPECT_EQ(sync.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(sync.error().message().find("desktop is not reachable"), std::string::npos);
}

}  // namespace
}  // namespace weft::workspace
