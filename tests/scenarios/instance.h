// An instance for scenario tests: a store in a temp dir with helpers to author
// code, sync with another instance over the file carrier, and compare state.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "fold/digest.h"
#include "fold/ledger.h"
#include "net/file_carrier.h"
#include "store/change_log.h"
#include "test_util.h"
#include "workspace/authoring.h"

namespace weft::scenarios {

class Instance {
 public:
  // `wall` and `actor` make a seeded scenario reproducible: by default the store
  // reads the system clock and is given a random actor.
  Instance(const weft::testing::TempDir& dir, const std::string& name,
           HlcClock::WallClock wall = SystemMillis, std::optional<ActorId> actor = std::nullopt)
      : dir_(dir.Sub(name)), wall_(std::move(wall)) {
    auto s = Store::Init(dir_, name, wall_, actor);
    EXPECT_TRUE(s) << s.error().message();
    store_ = std::move(*s);
  }

  Store& store() { return *store_; }
  const std::string& dir() const { return dir_; }

  // Copies the store aside, as a person backing it up would (closed first, so the
  // copy is one file).
  void Backup(const std::string& to) {
    store_.reset();
    std::filesystem::remove_all(to);
    std::filesystem::copy(dir_, to, std::filesystem::copy_options::recursive);
    Reopen();
  }
  // Puts a backup back in place: same host, same path, so the same actor.
  void Restore(const std::string& from) {
    store_.reset();
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(from, dir_, std::filesystem::copy_options::recursive);
    Reopen();
  }
  void Reopen() {
    auto s = Store::Open(dir_, Store::Access::kReadWrite, wall_);
    ASSERT_TRUE(s) << s.error().message();
    store_ = std::move(*s);
  }

  // Stages and commits `source`.
  void Author(const std::string& source, const std::string& message = "edit") {
    auto r = workspace::AddSource(*store_, source, "t.weft");
    ASSERT_TRUE(r) << r.error().message();
    auto c = Ledger(*store_).Commit(message);
    ASSERT_TRUE(c) << c.error().message();
  }

  // The persisted sync state this instance keeps for `peer`.
  sync::SyncState& StateFor(const std::string& peer) { return states_[peer]; }
  // Forgets everything but shared heads, as a new session would.
  void Reload(const std::string& peer) {
    auto& s = states_[peer];
    auto restored = sync::DecodeState(sync::EncodeState(s), s.options);
    ASSERT_TRUE(restored);
    s = std::move(*restored);
  }

  std::set<ChangeHash> Changes() {
    std::set<ChangeHash> out;
    EXPECT_TRUE(ForEachChange(store_->db(), [&](const EncodedChange& c) {
      out.insert(c.hash);
      return Status{};
    }));
    return out;
  }
  std::string Digest() {
    auto d = ProjectionDigest(store_->db());
    return d ? DigestToHex(*d) : "error";
  }

 private:
  std::string dir_;
  HlcClock::WallClock wall_;
  std::unique_ptr<Store> store_;
  std::map<std::string, sync::SyncState> states_;
};

// Runs one session between a and b; returns the report.
inline net::SessionReport Sync(Instance& a, const std::string& a_name, Instance& b,
                               const std::string& b_name, const net::Transit& transit = {},
                               std::size_t max_rounds = 200) {
  auto r = net::SyncStores(a.store(), b.store(), a.StateFor(b_name), b.StateFor(a_name), max_rounds,
                           transit);
  EXPECT_TRUE(r) << r.error().message();
  return r ? *r : net::SessionReport{};
}

inline void ExpectConverged(Instance& a, Instance& b) {
  EXPECT_EQ(a.Changes(), b.Changes());
  EXPECT_EQ(a.Digest(), b.Digest());
}

}  // namespace weft::scenarios
