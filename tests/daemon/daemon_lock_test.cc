#include "daemon/daemon_lock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "test_util.h"

namespace weft::daemon {
namespace {

using weft::testing::TempDir;

// A lock is held by a process: the second daemon is another process here.
int TryInChild(const std::string& dir) {
  const pid_t child = fork();
  if (child == 0) {
    auto lock = DaemonLock::Acquire(dir);
    _exit(lock ? 0 : (lock.error().message().find("already running") != std::string::npos ? 3 : 4));
  }
  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(DaemonLock, OneDaemonPerStoreAndTheSecondIsToldWhoRuns) {
  TempDir dir;
  {
    auto lock = DaemonLock::Acquire(dir.path());
    ASSERT_TRUE(lock) << lock.error().message();
    ASSERT_TRUE(lock->Write({getpid(), 1234, "https://127.0.0.1:7420", "ID"}));
    EXPECT_EQ(TryInChild(dir.path()), 3);
  }
  // Released (as by a daemon that exited, or was killed): the next one runs.
  EXPECT_EQ(TryInChild(dir.path()), 0);
}

TEST(DaemonLock, RunningDaemonReadsThePidfileOnlyWhileItIsLocked) {
  TempDir dir;
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  const pid_t child = fork();
  if (child == 0) {
    auto lock = DaemonLock::Acquire(dir.path());
    if (!lock || !lock->Write({getpid(), 99, "http://127.0.0.1:1", "DEV"})) _exit(1);
    char c = 1;
    (void)!write(pipefd[1], &c, 1);
    sleep(30);  // killed below
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(pipefd[0], &c, 1), 1);
  auto running = RunningDaemon(dir.path());
  ASSERT_TRUE(running) << running.error().message();
  ASSERT_TRUE(running->has_value());
  EXPECT_EQ((*running)->pid, child);
  EXPECT_EQ((*running)->url, "http://127.0.0.1:1");
  EXPECT_EQ((*running)->device_id, "DEV");
  kill(child, SIGKILL);  // as kill -9: the pidfile stays, the lock goes
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(std::filesystem::exists(PidfilePath(dir.path())));
  running = RunningDaemon(dir.path());
  ASSERT_TRUE(running);
  EXPECT_FALSE(running->has_value());
  close(pipefd[0]);
  close(pipefd[1]);
}

// The dashboard asks, inside the daemon, whether a daemon runs: the answer is yes,
// and asking (which opens and closes the pidfile) keeps the daemon's lock.
TEST(DaemonLock, AskingFromTheDaemonsOwnProcessSeesItAndKeepsItsLock) {
  TempDir dir;
  auto lock = DaemonLock::Acquire(dir.path());
  ASSERT_TRUE(lock) << lock.error().message();
  ASSERT_TRUE(lock->Write({getpid(), 1, "https://127.0.0.1:7420", "ID"}));
  for (int i = 0; i < 3; ++i) {
    auto running = RunningDaemon(dir.path());
    ASSERT_TRUE(running) << running.error().message();
    ASSERT_TRUE(running->has_value());
    EXPECT_EQ((*running)->pid, getpid());
  }
  EXPECT_EQ(TryInChild(dir.path()), 3);  // still held: a second daemon is refused
  // And in this process too: a second Acquire conflicts with the first.
  auto again = DaemonLock::Acquire(dir.path());
  ASSERT_FALSE(again);
  EXPECT_NE(again.error().message().find("already running"), std::string::npos);
}

TEST(DaemonLock, NoPidfileMeansNoDaemon) {
  TempDir dir;
  auto running = RunningDaemon(dir.path());
  ASSERT_TRUE(running);
  EXPECT_FALSE(running->has_value());
}

TEST(DaemonLock, ASymlinkOrFifoWhereThePidfileGoesIsRefused) {
  TempDir dir;
  std::filesystem::create_symlink(dir.Sub("elsewhere"), PidfilePath(dir.path()));
  auto lock = DaemonLock::Acquire(dir.path());
  ASSERT_FALSE(lock);
  EXPECT_NE(lock.error().message().find("symbolic link"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("elsewhere")));
  TempDir fifo_dir;
  ASSERT_EQ(mkfifo(PidfilePath(fifo_dir.path()).c_str(), 0600), 0);
  auto fifo_lock = DaemonLock::Acquire(fifo_dir.path());
  ASSERT_FALSE(fifo_lock);
  EXPECT_NE(fifo_lock.error().message().find("not a regular file"), std::string::npos);
  EXPECT_FALSE(RunningDaemon(fifo_dir.path()));
}

}  // namespace
}  // namespace weft::daemon
