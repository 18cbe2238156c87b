// Store: one instance's SQLite file, its meta row and its authoring identity.
//
// The store directory holds `weft.db` (WAL mode, synchronous=FULL). Opening first
// recognises the file as a weft store by reading its header (store_file.h), before
// SQLite opens it or any pragma runs, then checks the Release. Opened for writing,
// it also checks that the store is still at the host and absolute path recorded in
// meta: a store that was copied elsewhere gets a fresh actor id before it authors
// anything, so two instances never share an actor (duplicate-seq trap). Opened
// read-only, nothing is written and no file is left beside the store. `Init`
// builds a new store under a temporary name and renames it into place.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/hlc.h"
#include "model/ids.h"
#include "store/migrate.h"
#include "store/sqlite.h"
#include "store/store_file.h"

namespace weft {

inline constexpr const char* kStoreFileName = "weft.db";
// The everyday SQLite page cache per open store, as PRAGMA cache_size (negative:
// KiB). Small, so that a sync with both stores open stays well under 150 MB.
inline constexpr int kDefaultCacheKiB = -16384;

// Threading: one Store per thread. Any number of Stores, in any number of threads
// and processes, may open one store directory at once: every read-modify-write
// (staged ops, the clock, peer state, the log) runs inside one write transaction.
// The Release recorded in the store at `dir`, read without opening it for use
// (and so without upgrading it): for a peer's store on disk.
Result<std::int64_t> StoredRelease(const std::string& dir);

class Store {
 public:
  enum class Access { kReadWrite, kReadOnly };

  // Creates a new store in `dir` (created if missing). Fails if one is there.
  // `actor` is for reproducible tests; a store is otherwise given a random one.
  static Result<std::unique_ptr<Store>> Init(const std::string& dir,
                                             const std::string& instance_name,
                                             HlcClock::WallClock wall = SystemMillis,
                                             std::optional<ActorId> actor = std::nullopt);
  static Result<std::unique_ptr<Store>> Open(
      const std::string& dir, Access access, HlcClock::WallClock wall = SystemMillis,
      std::chrono::milliseconds busy_timeout = kDefaultBusyTimeout);

  Db& db() { return *db_; }
  const std::string& dir() const { return dir_; }
  const ActorId& actor() const { return actor_; }
  const std::string& instance_name() const { return instance_name_; }
  const std::string& branch() const { return branch_; }
  bool actor_was_reminted() const { return actor_reminted_; }
  // Set when this open upgraded the store from an older Release.
  const std::optional<MigrationReport>& migration() const { return migration_; }
  void set_migration(std::optional<MigrationReport> m) { migration_ = std::move(m); }
  // False when the projections were folded under another kProjectionVersion.
  bool projections_current() const { return projections_current_; }
  HlcClock& clock() { return clock_; }

  // Persists the current branch (local state; it does not sync). REQUIRES: inside
  // a write transaction; SwitchBranch opens its own.
  Status SetBranch(const std::string& branch);
  Status SwitchBranch(const std::string& branch);
  // Observes the clock stored in meta, which another connection may have moved
  // since this one opened. REQUIRES: inside the write transaction that will stamp
  // changes, so no other connection can move it in between.
  Status RefreshClock();
  // Writes the clock's last stamp to meta (never below what is stored there).
  // Call inside the transaction that used it.
  Status SaveClock();

  // Mints a fresh actor for this store (a restored backup forked its old one).
  // REQUIRES: inside a write transaction.
  Status MintNewActor() { return MintActor(); }

  Result<std::optional<std::string>> GetMeta(std::string_view key);
  Status PutMeta(std::string_view key, std::string_view value);

 private:
  Store(std::unique_ptr<Db> db, std::string dir, HlcClock::WallClock wall)
      : db_(std::move(db)), dir_(std::move(dir)), clock_(Hlc(), std::move(wall)) {}
  Status LoadMeta(Access access);
  Status ReadIdentity();
  Status MintActor(std::optional<ActorId> actor = std::nullopt);
  // Writes a complete new store at `path` (not yet at its final name).
  static Status BuildFresh(const std::string& path, const std::string& abs_dir,
                           const std::string& instance_name, std::optional<ActorId> actor);

  // Declared before db_, so it is released after the connection closes.
  std::unique_ptr<StoreFileHold> hold_;
  std::unique_ptr<Db> db_;
  std::string dir_;
  ActorId actor_;
  std::string instance_name_;
  std::string branch_;
  bool actor_reminted_ = false;
  std::optional<MigrationReport> migration_;
  bool projections_current_ = true;
  HlcClock clock_;
};

// Where the store lives when --store is not given: $WEFT_HOME, else
// $XDG_DATA_HOME/weft, else ~/.local/share/weft.
Result<std::string> DefaultStoreDir();
std::string HostName();

}  // namespace weft
