#include "store/store.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/release.h"
#include "store/blob_store.h"
#include "store/change_log.h"
#include "test_util.h"

namespace weft {
namespace {

using testing::TempDir;

TEST(Store, InitStampsReleaseInstanceAndMainBranch) {
  TempDir dir;
  auto s = Store::Init(dir.Sub("s"), "laptop");
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ((*s)->instance_name(), "laptop");
  EXPECT_EQ((*s)->branch(), "main");
  EXPECT_EQ(**(*s)->GetMeta("release"), std::to_string(kRelease));
  auto mode = (*s)->db().Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode && *mode->Step());
  EXPECT_EQ(mode->Text(0), "wal");
}

TEST(Store, InitTakesAGivenActorAndKeepsItAcrossOpens) {
  TempDir dir;
  ActorId::Raw raw{};
  raw[0] = 0xab;
  raw[15] = 0x01;
  {
    auto s = Store::Init(dir.Sub("s"), "a", SystemMillis, ActorId(raw));
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ((*s)->actor(), ActorId(raw));
  }
  auto again = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ((*again)->actor(), ActorId(raw));
  EXPECT_FALSE((*again)->actor_was_reminted());
  auto other = Store::Init(dir.Sub("t"), "b");
  ASSERT_TRUE(other);
  EXPECT_NE((*other)->actor(), ActorId(raw));
}

TEST(Store, InitRefusesToOverwriteAStore) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "a"));
  auto again = Store::Init(dir.Sub("s"), "a");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
}

TEST(Store, OpeningAMissingStoreSaysRunInit) {
  TempDir dir;
  auto s = Store::Open(dir.Sub("nothing"), Store::Access::kReadWrite);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(s.error().message().find("weft init"), std::string::npos);
}

TEST(Store, AFileThatIsNotAWeftStoreIsRefused) {
  TempDir dir;
  std::filesystem::create_directories(dir.Sub("junk"));
  std::ofstream(dir.Sub("junk") + "/weft.db")
      << "this is not sqlite at all, just some text bytes....";
  auto s = Store::Open(dir.Sub("junk"), Store::Access::kReadWrite);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kCorruption);
  // An SQLite file without weft tables is refused too.
  std::filesystem::create_directories(dir.Sub("other"));
  {
    auto db = Db::Open(dir.Sub("other") + "/weft.db", Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db);
    ASSERT_TRUE((*db)->Exec("CREATE TABLE t(x)"));
  }
  auto o = Store::Open(dir.Sub("other"), Store::Access::kReadWrite);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().code(), ErrorCode::kCorruption);
}

TEST(Store, ANewerReleaseIsRefusedInAPlainSentence) {
  TempDir dir;
  {
    auto s = Store::Init(dir.Sub("s"), "a");
    ASSERT_TRUE(s);
    ASSERT_TRUE((*s)->PutMeta("release", "99"));
  }
  auto s = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code(), ErrorCode::kVersionMismatch);
  EXPECT_NE(s.error().message().find("Release 99"), std::string::npos);
  EXPECT_NE(s.error().message().find("Release " + std::to_string(kRelease)), std::string::npos);
}

TEST(Store, ACopiedStoreAuthorsUnderAFreshActor) {
  TempDir dir;
  ActorId original;
  {
    auto s = Store::Init(dir.Sub("s"), "a");
    ASSERT_TRUE(s);
    original = (*s)->actor();
  }
  {
    auto same = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
    ASSERT_TRUE(same);
    EXPECT_EQ((*same)->actor(), original);
    EXPECT_FALSE((*same)->actor_was_reminted());
  }
  std::filesystem::copy(dir.Sub("s"), dir.Sub("copy"), std::filesystem::copy_options::recursive);
  auto copy = Store::Open(dir.Sub("copy"), Store::Access::kReadWrite);
  ASSERT_TRUE(copy);
  EXPECT_NE((*copy)->actor(), original);
  EXPECT_TRUE((*copy)->actor_was_reminted());
  ActorId minted = (*copy)->actor();
  copy->reset();
  auto again = Store::Open(dir.Sub("copy"), Store::Access::kReadWrite);
  EXPECT_EQ((*again)->actor(), minted);  // stable once recorded
}

TEST(Store, TheClockSurvivesAReopen) {
  TempDir dir;
  Hlc issued;
  {
    auto s = Store::Init(dir.Sub("s"), "a", [] { return std::uint64_t{50'000}; });
    ASSERT_TRUE(s);
    issued = (*s)->clock().Now();
    ASSERT_TRUE((*s)->SaveClock());
  }
  auto s = Store::Open(dir.Sub("s"), Store::Access::kReadWrite, [] { return std::uint64_t{10}; });
  ASSERT_TRUE(s);
  EXPECT_GT((*s)->clock().Now(), issued);
}

TEST(Store, DefaultDirFollowsWeftHomeThenXdgThenHome) {
  setenv("WEFT_HOME", "/tmp/wh", 1);
  EXPECT_EQ(*DefaultStoreDir(), "/tmp/wh");
  unsetenv("WEFT_HOME");
  setenv("XDG_DATA_HOME", "/tmp/xdg", 1);
  EXPECT_EQ(*DefaultStoreDir(), "/tmp/xdg/weft");
  unsetenv("XDG_DATA_HOME");
  setenv("HOME", "/tmp/home", 1);
  EXPECT_EQ(*DefaultStoreDir(), "/tmp/home/.local/share/weft");
}

TEST(BlobStore, BlobsRoundTripAndDamageIsDetected) {
  TempDir dir;
  auto s = Store::Init(dir.Sub("s"), "a");
  ASSERT_TRUE(s);
  Item item = testing::TextItem("body");
  ASSERT_TRUE(PutBlob((*s)->db(), item));
  ASSERT_TRUE(PutBlob((*s)->db(), item));  // idempotent
  auto back = LoadItem((*s)->db(), item.Hash());
  ASSERT_TRUE(back && *back);
  EXPECT_EQ((*back)->body, item.body);
  ASSERT_TRUE((*s)->db().Exec("UPDATE blobs SET canonical = x'0001aa'"));
  auto bad = LoadItem((*s)->db(), item.Hash());
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::kCorruption);
}

}  // namespace
}  // namespace weft
