// The store's files: recognised before SQLite opens them, never written when they
// are not ours, and read-only opens that leave nothing behind.
#include "store/store_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "store/schema.h"
#include "store/store.h"
#include "test_util.h"

namespace weft {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> Listing(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Another program's SQLite database, in WAL mode like ours.
std::string MakeForeignDb(const TempDir& dir) {
  std::string path = dir.Sub("other.db");
  auto db = Db::Open(path, Db::Mode::kReadWriteCreate);
  EXPECT_TRUE(db);
  EXPECT_TRUE(
      (*db)->Exec("PRAGMA journal_mode=DELETE; CREATE TABLE t(x); INSERT INTO t VALUES(1)"));
  return path;
}

TEST(StoreFile, ASymlinkedStoreFileIsRefusedAndItsTargetIsNotTouched) {
  TempDir dir;
  std::string other = MakeForeignDb(dir);
  const std::string before = ReadAll(other);
  fs::create_directories(dir.Sub("peer"));
  fs::create_symlink(other, dir.Sub("peer") + "/weft.db");
  for (auto access : {Store::Access::kReadWrite, Store::Access::kReadOnly}) {
    auto s = Store::Open(dir.Sub("peer"), access);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message().find("is a symlink"), std::string::npos);
  }
  EXPECT_EQ(ReadAll(other), before);
  EXPECT_FALSE(fs::exists(other + "-wal"));
}

TEST(StoreFile, ASymlinkedWalOrShmIsRefused) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "a"));
  std::string other = MakeForeignDb(dir);
  const std::string before = ReadAll(other);
  for (const char* suffix : {"-wal", "-shm"}) {
    const std::string link = dir.Sub("s") + "/weft.db" + suffix;
    fs::create_symlink(other, link);
    auto s = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
    ASSERT_FALSE(s);
    EXPECT_NE(s.error().message().find(std::string("weft.db") + suffix + " is a symlink"),
              std::string::npos);
    fs::remove(link);
  }
  EXPECT_EQ(ReadAll(other), before);
}

TEST(StoreFile, AFifoIsRefusedWithoutOpeningIt) {
  TempDir dir;
  fs::create_directories(dir.Sub("p"));
  ASSERT_EQ(mkfifo((dir.Sub("p") + "/weft.db").c_str(), 0644), 0);
  // Opening a FIFO for reading would block until a writer came; refusing is at once.
  auto s = Store::Open(dir.Sub("p"), Store::Access::kReadOnly);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("not a regular file"), std::string::npos);
}

TEST(StoreFile, AForeignSqliteFileIsRecognisedWithoutBeingWritten) {
  TempDir dir;
  std::string other = MakeForeignDb(dir);
  fs::create_directories(dir.Sub("f"));
  fs::copy_file(other, dir.Sub("f") + "/weft.db");
  const std::string before = ReadAll(dir.Sub("f") + "/weft.db");
  for (auto access : {Store::Access::kReadWrite, Store::Access::kReadOnly}) {
    auto s = Store::Open(dir.Sub("f"), access);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code(), ErrorCode::kCorruption);
    EXPECT_NE(s.error().message().find("another program's SQLite database"), std::string::npos);
  }
  EXPECT_EQ(ReadAll(dir.Sub("f") + "/weft.db"), before);
  EXPECT_EQ(Listing(dir.Sub("f")), std::vector<std::string>{"weft.db"});
}

TEST(StoreFile, AnotherApplicationIdIsForeignWithoutReadingTables) {
  TempDir dir;
  fs::create_directories(dir.Sub("f"));
  {
    auto db = Db::Open(dir.Sub("f") + "/weft.db", Db::Mode::kReadWriteCreate);
    ASSERT_TRUE(db);
    // Even with a meta table, another application's id is not ours.
    ASSERT_TRUE((*db)->Exec("PRAGMA application_id=1234; CREATE TABLE meta(key, value)"));
  }
  auto kind = InspectStoreFiles(dir.Sub("f"));
  ASSERT_TRUE(kind);
  EXPECT_EQ(*kind, StoreFileKind::kForeign);
}

TEST(StoreFile, AnEmptyStoreFileIsNotAStoreAndInitReplacesIt) {
  TempDir dir;
  fs::create_directories(dir.Sub("e"));
  std::ofstream(dir.Sub("e") + "/weft.db").close();
  auto s = Store::Open(dir.Sub("e"), Store::Access::kReadOnly);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().message().find("is empty"), std::string::npos);
  auto fresh = Store::Init(dir.Sub("e"), "e");
  ASSERT_TRUE(fresh) << fresh.error().message();
  EXPECT_EQ((*fresh)->instance_name(), "e");
}

TEST(StoreFile, InitBuildsAsideAndLeavesOnlyTheStore) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "a"));
  EXPECT_EQ(Listing(dir.Sub("s")), std::vector<std::string>{"weft.db"});
  auto kind = InspectStoreFiles(dir.Sub("s"));
  ASSERT_TRUE(kind);
  EXPECT_EQ(*kind, StoreFileKind::kWeft);
}

TEST(StoreFile, AReadOnlyOpenLeavesNothingBesideTheStore) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "a"));
  {
    auto s = Store::Open(dir.Sub("s"), Store::Access::kReadOnly);
    ASSERT_TRUE(s) << s.error().message();
    EXPECT_EQ(**(*s)->GetMeta("instance"), "a");
    // It refuses writes.
    EXPECT_FALSE((*s)->PutMeta("instance", "b"));
  }
  EXPECT_EQ(Listing(dir.Sub("s")), std::vector<std::string>{"weft.db"});
}

TEST(StoreFile, AReadOnlyOpenReadsTablesAnOlderBuildDidNotCreateAsEmpty) {
  TempDir dir;
  {
    auto s = Store::Init(dir.Sub("s"), "a");
    ASSERT_TRUE(s);
    ASSERT_TRUE((*s)->db().Exec("DROP TABLE edit_bases; DROP TABLE own_actors"));
  }
  {
    auto s = Store::Open(dir.Sub("s"), Store::Access::kReadOnly);
    ASSERT_TRUE(s) << s.error().message();
    auto n = (*s)->db().QueryInt("SELECT COUNT(*) FROM edit_bases");
    ASSERT_TRUE(n) << n.error().message();
    EXPECT_EQ(*n, 0);
    auto missing = SchemaIsComplete((*s)->db());
    ASSERT_TRUE(missing);
    EXPECT_FALSE(*missing);  // nothing was created in the store itself
  }
  auto rw = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
  ASSERT_TRUE(rw);
  EXPECT_TRUE(*SchemaIsComplete((*rw)->db()));  // a write-open adds them
}

TEST(StoreFile, AStoreWithoutTheApplicationIdIsStampedOnItsFirstWriteOpen) {
  TempDir dir;
  {
    auto s = Store::Init(dir.Sub("s"), "a");
    ASSERT_TRUE(s);
    ASSERT_TRUE((*s)->db().Exec("PRAGMA application_id=0"));
  }
  {
    auto s = Store::Open(dir.Sub("s"), Store::Access::kReadOnly);
    ASSERT_TRUE(s) << s.error().message();  // recognised by its meta table
  }
  {
    auto s = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
    ASSERT_TRUE(s);
    EXPECT_EQ(*(*s)->db().QueryInt("PRAGMA application_id"), kApplicationId);
  }
}

TEST(StoreFile, TwoConnectionsNeverLetTheStoredClockGoBackwards) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "a"));
  auto ahead =
      Store::Open(dir.Sub("s"), Store::Access::kReadWrite, [] { return std::uint64_t{2'000'000}; });
  auto behind =
      Store::Open(dir.Sub("s"), Store::Access::kReadWrite, [] { return std::uint64_t{1'000}; });
  ASSERT_TRUE(ahead && behind);
  Hlc issued = (*ahead)->clock().Now();
  ASSERT_TRUE((*ahead)->SaveClock());
  (*behind)->clock().Now();
  ASSERT_TRUE((*behind)->SaveClock());  // must not overwrite the later stamp
  auto stored = (*behind)->GetMeta("hlc");
  ASSERT_TRUE(stored && *stored);
  EXPECT_GE(std::stoull(**stored), issued.packed());
}

}  // namespace
}  // namespace weft
