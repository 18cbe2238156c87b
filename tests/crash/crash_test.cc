// Crash safety at the storage boundary (docs/design/stable.md, "Durability"):
// a commit, a sync receive and a Release migration are each driven through every
// write and fsync they make. At the Nth, one run fails that operation (an I/O
// error, or a full disk for a write) and another cuts the power (unsynced writes
// undone, the process gone). Afterwards the store opens, fsck finds nothing, and
// every change whose operation reported success is there; after a failure, the
// same operation succeeds once the fault is gone.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <sstream>
#include <string>

#include "core/release.h"
#include "faulty_vfs.h"
#include "fold/fsck.h"
#include "fold/open.h"
#include "store/change_log.h"
#include "test_util.h"
#include "workspace/authoring.h"
#include "workspace/history.h"
#include "workspace/peers.h"
#include "workspace/sync.h"

namespace weft {
namespace {

namespace fs = std::filesystem;
using testing::Fault;
using testing::FaultPlan;
using testing::TempDir;

// An operation run in a forked child against the store at `dir`. It prints
// "ok <change hex>" for each change it made durable and reported as done.
using Operation = std::function<Status(const std::string& dir, std::FILE* report)>;

struct Totals {
  int runs = 0, faults = 0, stores_checked = 0, changes_lost = 0;
  int untouched = 0;  // failed upgrades that left a Release 1 store as it was
};
Totals& Sum() {
  static Totals t;
  return t;
}

// Runs `op` in a child under `plan`; returns what it reported and whether the
// fault fired (the child says "fired" when it ends without a power cut).
struct ChildRun {
  std::vector<std::string> ok;
  std::string failure;  // the operation's error, when it failed
  bool fired = false;
  bool completed = false;  // the child ran to the end
};

ChildRun RunChild(const std::string& dir, const Operation& op, const FaultPlan& plan) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  std::fflush(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    std::FILE* out = fdopen(fds[1], "w");
    setvbuf(out, nullptr, _IONBF, 0);
    testing::InstallFaultyVfs();
    testing::SetFaultPlan(plan);
    Status st = op(dir, out);
    std::fprintf(out, "%s\n", st ? "done" : ("failed " + st.error().message()).c_str());
    std::fprintf(out, "%s\n", testing::FaultFired() ? "fired" : "quiet");
    std::fprintf(out, "ops %llu\n", static_cast<unsigned long long>(testing::FaultyOps()));
    _exit(0);
  }
  close(fds[1]);
  ChildRun run;
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof(buf))) > 0;)
    text.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("ok ", 0) == 0) run.ok.push_back(line.substr(3));
    if (line.rfind("failed ", 0) == 0) run.failure = line.substr(7);
    if (line == "fired") run.fired = true;
    if (line == "quiet") run.completed = true;
    if (line == "fired") run.completed = true;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == plan.exit_code) run.fired = true;
  return run;
}

// The store at `dir` opens, fsck is clean, and every reported change is there.
void ExpectSound(const std::string& dir, const std::vector<std::string>& reported,
                 const std::string& where) {
  ++Sum().stores_checked;
  auto store = OpenStore(dir, Store::Access::kReadWrite);
  ASSERT_TRUE(store) << where << ": " << store.error().message();
  auto fsck = CheckStore(**store);
  ASSERT_TRUE(fsck) << where << ": " << fsck.error().message();
  for (const auto& f : fsck->findings)
    ADD_FAILURE() << where << ": fsck: " << f.what << " " << f.hash << ": " << f.detail;
  for (const auto& hex : reported) {
    auto h = ChangeHash::FromHex(hex);
    ASSERT_TRUE(h);
    if (!*HasChange((*store)->db(), *h)) {
      ++Sum().changes_lost;
      ADD_FAILURE() << where << ": change " << hex << " was reported done and is gone";
    }
  }
}

// Drives `op` through every write and fsync it makes, in both fault modes.
// `prepare` makes a fresh copy of the starting store in the given directory.
// `failed` (when given) inspects a store right after the operation failed, before
// anything opens it again.
void DriveEveryFault(
    const std::string& name, const std::function<void(const std::string&)>& prepare,
    const Operation& op, const std::function<void(const std::string&)>& after = {},
    const std::function<void(const std::string&, const std::string&)>& failed = {}) {
  TempDir tmp;
  std::uint64_t total = 0;
  {
    const std::string dir = tmp.Sub("count");
    prepare(dir);
    ChildRun counted = RunChild(dir, op, FaultPlan{});
    ASSERT_TRUE(counted.completed) << name << ": the operation did not run to the end";
  }
  for (Fault fault : {Fault::kFail, Fault::kPowerCut}) {
    for (std::uint64_t n = 1;; ++n) {
      ASSERT_LT(n, 5000u) << name << ": no end to the writes";
      const std::string dir = tmp.Sub(fmt::format("{}-{}", static_cast<int>(fault), n));
      prepare(dir);
      FaultPlan plan{fault, n, n % 2 == 0, 86};
      ChildRun run = RunChild(dir, op, plan);
      ++Sum().runs;
      if (!run.fired) {
        total = n - 1;
        fs::remove_all(dir);
        break;
      }
      ++Sum().faults;
      const std::string where =
          fmt::format("{} ({} at op {})", name, fault == Fault::kFail ? "failure" : "power cut", n);
      if (failed && !run.failure.empty()) failed(dir, run.failure);
      ExpectSound(dir, run.ok, where);
      if (fault == Fault::kFail) {
        // The fault is gone: the same operation now succeeds.
        ChildRun again = RunChild(dir, op, FaultPlan{});
        ASSERT_TRUE(again.completed) << where << ": the retry did not complete";
        ExpectSound(dir, again.ok, where + ", retried");
      }
      if (after) after(dir);
      fs::remove_all(dir);
    }
  }
  std::printf("%s: %llu writes and fsyncs, each failed and cut\n", name.c_str(),
              static_cast<unsigned long long>(total));
  EXPECT_GT(total, 3u) << name;
}

void InitStore(const std::string& dir, const std::string& name) {
  auto s = Store::Init(dir, name);
  ASSERT_TRUE(s) << s.error().message();
}

TEST(CrashSafety, ACommitSurvivesEveryFault) {
  TempDir base;
  const std::string tmpl = base.Sub("template");
  InitStore(tmpl, "laptop");
  auto prepare = [&](const std::string& dir) { fs::copy(tmpl, dir, fs::copy_options::recursive); };
  Operation op = [](const std::string& dir, std::FILE* report) -> Status {
    WEFT_ASSIGN_OR_RETURN(auto store, OpenStore(dir, Store::Access::kReadWrite));
    for (int i = 0; i < 2; ++i) {
      WEFT_TRY(workspace::AddSource(*store, fmt::format("val Crash.M.v{} = {}", i, i), "c.weft"));
      WEFT_ASSIGN_OR_RETURN(EncodedChange c, workspace::CommitStaged(*store, "c"));
      std::fprintf(report, "ok %s\n", c.hash.Hex().c_str());
    }
    return {};
  };
  DriveEveryFault("commit", prepare, op);
}

TEST(CrashSafety, ASyncReceiveSurvivesEveryFault) {
  TempDir base;
  const std::string ours = base.Sub("ours"), peer = base.Sub("peer");
  InitStore(ours, "laptop");
  {
    auto p = Store::Init(peer, "desktop");
    ASSERT_TRUE(p);
    for (int i = 0; i < 4; ++i) {
      ASSERT_TRUE(workspace::AddSource(**p, fmt::format("val Peer.M.v{} = {}", i, i), "p.weft"));
      ASSERT_TRUE(workspace::CommitStaged(**p, "p"));
    }
  }
  auto prepare = [&](const std::string& dir) { fs::copy(ours, dir, fs::copy_options::recursive); };
  Operation op = [peer](const std::string& dir, std::FILE* report) -> Status {
    WEFT_ASSIGN_OR_RETURN(auto store, OpenStore(dir, Store::Access::kReadWrite));
    workspace::Target t;
    t.label = "desktop";
    t.address = peer;
    workspace::SyncRequest pull;
    pull.pull = true;
    WEFT_ASSIGN_OR_RETURN(workspace::SyncReport r, workspace::SyncWithPeer(*store, t, pull));
    if (!r.session.problems.empty()) return Fail(ErrorCode::kIo, "{}", r.session.problems.front());
    for (const auto& h : r.session.received) std::fprintf(report, "ok %s\n", h.Hex().c_str());
    return {};
  };
  DriveEveryFault("sync receive", prepare, op);
}

TEST(CrashSafety, AReleaseMigrationSurvivesEveryFault) {
  const std::string fixture = std::string(WEFT_FIXTURE_DIR) + "/release1/weft.db";
  auto prepare = [&](const std::string& dir) {
    fs::create_directories(dir);
    fs::copy_file(fixture, dir + "/weft.db");
    fs::permissions(dir + "/weft.db", fs::perms::owner_write, fs::perm_options::add);
  };
  Operation op = [](const std::string& dir, std::FILE*) -> Status {
    WEFT_ASSIGN_OR_RETURN(auto store, OpenStore(dir, Store::Access::kReadWrite));
    return {};
  };
  // Whatever happened, the store holds the fixture's 16 changes at this Release.
  auto after = [](const std::string& dir) {
    auto store = OpenStore(dir, Store::Access::kReadOnly);
    ASSERT_TRUE(store);
    EXPECT_EQ(*CountChanges((*store)->db()), 16) << dir;
    EXPECT_EQ(**(*store)->GetMeta("release"), std::to_string(kRelease));
  };
  // A failed upgrade leaves the store as it was, and says so.
  auto failed = [](const std::string& dir, const std::string& error) {
    auto release = StoredRelease(dir);
    ASSERT_TRUE(release) << release.error().message();
    if (*release != 1) return;  // it failed after the upgrade committed (the re-fold)
    EXPECT_TRUE(error.find("is unchanged") != std::string::npos ||
                error.find("nothing was changed") != std::string::npos)
        << error;
    auto db = Db::Open(dir + "/weft.db", Db::Mode::kReadOnly);
    ASSERT_TRUE(db);
    EXPECT_EQ(*(*db)->QueryInt("SELECT count(*) FROM changes"), 16);
    EXPECT_EQ(*(*db)->QueryInt("SELECT count(*) FROM pragma_table_info('changes') WHERE name = "
                               "'id'"),
              0)
        << "a Release 1 store with a Release 2 column";
    ++Sum().untouched;
  };
  DriveEveryFault("migration", prepare, op, after, failed);
  EXPECT_GT(Sum().untouched, 10) << "failures before the upgrade committed were checked";
}

TEST(CrashSafety, Totals) {
  const Totals& t = Sum();
  std::printf(
      "runs %d, faults injected %d, stores checked %d, changes lost %d, failed upgrades that "
      "left the store as it was %d\n",
      t.runs, t.faults, t.stores_checked, t.changes_lost, t.untouched);
  EXPECT_EQ(t.changes_lost, 0);
}

}  // namespace
}  // namespace weft
