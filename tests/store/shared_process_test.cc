// Several connections to one store in one process (`weft serve`, threads): opening
// another must never drop the locks SQLite holds for the first. POSIX locks
// belong to the process, so a by-hand open and close of weft.db would release
// them, and another process closing its connection would then believe it was the
// last one, checkpoint, and delete the WAL out from under ours (how `weft serve`
// corrupted a store before StoreFileHold).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_file.h"
#include "test_util.h"

namespace weft {
namespace {

using weft::testing::TempDir;

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// Opens and closes the store with SQLite in a child process, as another weft
// command would.
void OpenAndCloseInAnotherProcess(const std::string& file) {
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::execlp("sqlite3", "sqlite3", file.c_str(), "SELECT count(*) FROM meta;", nullptr);
    ::_exit(127);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0) << "sqlite3 (Debian package sqlite3) must be installed";
}

TEST(SharedProcess, OpeningASecondConnectionKeepsTheFirstOnesLocks) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "s"));
  auto first = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
  ASSERT_TRUE(first);
  ASSERT_TRUE((*first)->PutMeta("probe", "1"));  // the WAL now holds a commit
  const std::string file = StoreFilePath(dir.Sub("s"));
  ASSERT_TRUE(Exists(file + "-wal"));
  for (auto access : {Store::Access::kReadWrite, Store::Access::kReadOnly}) {
    auto second = Store::Open(dir.Sub("s"), access);
    ASSERT_TRUE(second);
  }
  OpenAndCloseInAnotherProcess(file);
  // Our connection is open: the other process must not have taken the WAL away.
  EXPECT_TRUE(Exists(file + "-wal")) << "the other process deleted the WAL of an open store";
  auto probe = (*first)->GetMeta("probe");
  ASSERT_TRUE(probe && *probe);
  EXPECT_EQ(**probe, "1");
}

TEST(SharedProcess, AHeldFileIsNotReadByHandAndIsReleasedWithItsLastHolder) {
  TempDir dir;
  ASSERT_TRUE(Store::Init(dir.Sub("s"), "s"));
  {
    auto a = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
    auto b = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
    ASSERT_TRUE(a && b);
    a->reset();
    // b still holds it: a third open works without reading the file by hand.
    ASSERT_TRUE(Store::Open(dir.Sub("s"), Store::Access::kReadWrite));
  }
  // Nobody holds it: a damaged file is recognised again.
  ASSERT_EQ(::truncate(StoreFilePath(dir.Sub("s")).c_str(), 10), 0);
  auto damaged = Store::Open(dir.Sub("s"), Store::Access::kReadWrite);
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code(), ErrorCode::kCorruption);
}

}  // namespace
}  // namespace weft
