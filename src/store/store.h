// Store: one instance's SQLite file, its meta row and its authoring identity.
//
// The store directory holds `weft.db` (WAL mode, synchronous=FULL). Opening checks
// that the file is a weft store of a Release this build understands, and — when
// opened for writing — that it is still at the host and absolute path recorded in
// meta. A store that was copied or restored elsewhere gets a fresh actor id before
// it authors anything, so two instances never share an actor (duplicate-seq trap).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/hlc.h"
#include "model/ids.h"
#include "store/sqlite.h"

namespace weft {

inline constexpr const char* kStoreFileName = "weft.db";
// The everyday SQLite page cache per open store, as PRAGMA cache_size (negative:
// KiB). Small, so that a sync with both stores open stays well under 150 MB.
inline constexpr int kDefaultCacheKiB = -16384;

class Store {
 public:
  enum class Access { kReadWrite, kReadOnly };

  // Creates a new store in `dir` (created if missing). Fails if one is there.
  static Result<std::unique_ptr<Store>> Init(const std::string& dir,
                                             const std::string& instance_name,
                                             HlcClock::WallClock wall = SystemMillis);
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, Access access,
                                             HlcClock::WallClock wall = SystemMillis);

  Db& db() { return *db_; }
  const std::string& dir() const { return dir_; }
  const ActorId& actor() const { return actor_; }
  const std::string& instance_name() const { return instance_name_; }
  const std::string& branch() const { return branch_; }
  bool actor_was_reminted() const { return actor_reminted_; }
  HlcClock& clock() { return clock_; }

  // Persists the current branch (local state; it does not sync).
  Status SetBranch(const std::string& branch);
  // Writes the clock's last stamp to meta. Call inside the transaction that used it.
  Status SaveClock();

  Result<std::optional<std::string>> GetMeta(std::string_view key);
  Status PutMeta(std::string_view key, std::string_view value);

 private:
  Store(std::unique_ptr<Db> db, std::string dir, HlcClock::WallClock wall)
      : db_(std::move(db)), dir_(std::move(dir)), clock_(Hlc(), std::move(wall)) {}
  Status LoadMeta(Access access);
  Status MintActor();

  std::unique_ptr<Db> db_;
  std::string dir_;
  ActorId actor_;
  std::string instance_name_;
  std::string branch_;
  bool actor_reminted_ = false;
  HlcClock clock_;
};

// Where the store lives when --store is not given: $WEFT_HOME, else
// $XDG_DATA_HOME/weft, else ~/.local/share/weft.
Result<std::string> DefaultStoreDir();
std::string HostName();

}  // namespace weft
