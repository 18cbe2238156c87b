#include "store/store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "model/names.h"
#include "store/migrate.h"
#include "store/peers.h"
#include "store/schema.h"
#include "store/store_file.h"

namespace weft {
namespace fs = std::filesystem;
namespace {

std::string AbsoluteDir(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  return ec ? dir : p.string();
}

Status ApplyPragmas(Db& db) {
  return db.Exec(fmt::format(
      "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF; PRAGMA cache_size={}", kDefaultCacheKiB));
}

void RemoveDbFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) unlink((path + suffix).c_str());
}

// A store file without weft's application_id is ours only if it has our meta
// table; read it without letting SQLite create anything beside it.
Status ProbeUnstamped(const std::string& dir) {
  const std::string file = StoreFilePath(dir);
  auto mode = WalHoldsData(file) ? Db::Mode::kReadOnly : Db::Mode::kImmutable;
  WEFT_ASSIGN_OR_RETURN(auto db, Db::Open(file, mode, kDefaultBusyTimeout));
  auto q = db->Prepare("SELECT value FROM meta WHERE key = 'release'");
  if (!q) {
    if (q.error().code() == ErrorCode::kIo || q.error().code() == ErrorCode::kCorruption) {
      // "no such table: meta" comes back as a prepare failure.
      return Fail(ErrorCode::kCorruption,
                  "{} is another program's SQLite database, not a weft store", file);
    }
    return Fail(q.error());
  }
  WEFT_ASSIGN_OR_RETURN(bool row, q->Step());
  if (!row) return Fail(ErrorCode::kCorruption, "{} is not a weft store (no Release)", dir);
  return {};
}

}  // namespace

namespace {

// The meta `release` row of the store at `dir`, as a number.
Result<std::int64_t> ParseRelease(const std::optional<std::string>& text, const std::string& dir) {
  if (!text) return Fail(ErrorCode::kCorruption, "{} is not a weft store (no Release)", dir);
  char* end = nullptr;
  long long stored = std::strtoll(text->c_str(), &end, 10);
  if (end == text->c_str() || *end != '\0' || stored < 1) {
    return Fail(ErrorCode::kCorruption, "{} has an unreadable Release '{}'", dir, *text);
  }
  return static_cast<std::int64_t>(stored);
}

}  // namespace

Result<std::int64_t> StoredRelease(const std::string& dir) {
  WEFT_ASSIGN_OR_RETURN(StoreFileKind kind, InspectStoreFiles(dir));
  const std::string file = StoreFilePath(dir);
  if (kind == StoreFileKind::kForeign) {
    return Fail(ErrorCode::kCorruption, "{} is another program's SQLite database, not a weft store",
                file);
  }
  auto mode = WalHoldsData(file) ? Db::Mode::kReadOnly : Db::Mode::kImmutable;
  WEFT_ASSIGN_OR_RETURN(auto db, Db::Open(file, mode, kDefaultBusyTimeout));
  auto q = db->Prepare("SELECT value FROM meta WHERE key = 'release'");
  if (!q) return Fail(ErrorCode::kCorruption, "{} is not a weft store", dir);
  WEFT_ASSIGN_OR_RETURN(bool row, q->Step());
  return ParseRelease(row ? std::optional<std::string>(q->Text(0)) : std::nullopt, dir);
}

std::string HostName() {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "localhost";
  return buf;
}

Result<std::string> DefaultStoreDir() {
  if (const char* home = std::getenv("WEFT_HOME"); home && *home) return std::string(home);
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) {
    return (fs::path(xdg) / "weft").string();
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return (fs::path(home) / ".local" / "share" / "weft").string();
  }
  return Fail(ErrorCode::kInvalidArgument, "no store location: set WEFT_HOME or pass --store DIR");
}

Status Store::BuildFresh(const std::string& path, const std::string& abs_dir,
                         const std::string& instance_name, std::optional<ActorId> actor) {
  WEFT_ASSIGN_OR_RETURN(auto db, Db::Open(path, Db::Mode::kReadWriteCreate, kDefaultBusyTimeout));
  // Nobody else sees this file until it is renamed into place, so it is built
  // without syncs and flushed once at the end. The application_id goes into the
  // header of the main file, where a reader looks before opening it.
  WEFT_TRY(db->Exec(
      fmt::format("PRAGMA application_id={}; PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF",
                  kApplicationId)));
  Store builder(std::move(db), abs_dir, SystemMillis);
  {
    WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(builder.db()));
    WEFT_TRY(CreateCanonicalTables(builder.db()));
    WEFT_TRY(CreateProjectionTables(builder.db()));
    WEFT_TRY(builder.PutMeta("release", std::to_string(kRelease)));
    WEFT_TRY(builder.PutMeta("projection_version", std::to_string(kProjectionVersion)));
    WEFT_TRY(builder.PutMeta("instance", instance_name));
    WEFT_TRY(builder.PutMeta("branch", kMainBranch));
    WEFT_TRY(builder.PutMeta("hlc", "0"));
    WEFT_TRY(builder.MintActor(actor));
    WEFT_TRY(tx.Commit());
  }
  WEFT_TRY(builder.db().Exec("PRAGMA journal_mode=WAL"));
  builder.db_.reset();  // closing removes the (empty) -wal and -shm
  return FlushPath(path, O_RDONLY);
}

Result<std::unique_ptr<Store>> Store::Init(const std::string& dir, const std::string& instance_name,
                                           HlcClock::WallClock wall, std::optional<ActorId> actor) {
  if (instance_name.empty() || instance_name.size() > 64) {
    return Fail(ErrorCode::kInvalidArgument, "an instance name must be 1 to 64 characters");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot create {}: {}", dir, ec.message());
  const std::string file = StoreFilePath(dir);
  // A zero-byte weft.db holds nothing (an interrupted init by an older weft): it
  // may be replaced. Anything else there is refused.
  bool replace_empty = false;
  if (FileExists(file)) {
    auto kind = InspectStoreFiles(dir);
    std::error_code size_ec;
    replace_empty = !kind && kind.error().code() == ErrorCode::kCorruption &&
                    fs::is_regular_file(fs::symlink_status(file, size_ec)) &&
                    fs::file_size(file, size_ec) == 0 && !FileExists(file + "-wal");
    if (!replace_empty) {
      if (kind) return Fail(ErrorCode::kFailedPrecondition, "{} already holds a weft store", dir);
      return Fail(ErrorCode::kFailedPrecondition, "{} already holds a weft.db: {}", dir,
                  kind.error().message());
    }
  }
  // Built aside and renamed into place: a failure (a full disk) leaves no store.
  const std::string building =
      (fs::path(dir) / fmt::format(".weft.db.init-{}-{}", getpid(), ActorId::Random().Hex()))
          .string();
  Status built = BuildFresh(building, AbsoluteDir(dir), instance_name, actor);
  if (built) {
    int rc = replace_empty
                 ? rename(building.c_str(), file.c_str())
                 : renameat2(AT_FDCWD, building.c_str(), AT_FDCWD, file.c_str(), RENAME_NOREPLACE);
    if (rc != 0) {
      built = errno == EEXIST
                  ? Fail(ErrorCode::kFailedPrecondition, "{} already holds a weft store", dir)
                  : Fail(ErrorCode::kIo, "cannot create {}: {}", file, std::strerror(errno));
    }
  }
  if (!built) {
    RemoveDbFiles(building);
    return Fail(built.error());
  }
  WEFT_TRY(FlushPath(dir, O_RDONLY | O_DIRECTORY));
  return Open(dir, Access::kReadWrite, std::move(wall));
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, Access access,
                                           HlcClock::WallClock wall,
                                           std::chrono::milliseconds busy_timeout) {
  std::lock_guard opening(StoreOpeningMutex());
  WEFT_ASSIGN_OR_RETURN(StoreFileKind kind, InspectStoreFiles(dir));
  const std::string file = StoreFilePath(dir);
  if (kind == StoreFileKind::kForeign) {
    return Fail(ErrorCode::kCorruption, "{} is another program's SQLite database, not a weft store",
                file);
  }
  if (kind == StoreFileKind::kUnstamped) WEFT_TRY(ProbeUnstamped(dir));
  if (access == Access::kReadWrite) {
    WEFT_ASSIGN_OR_RETURN(auto db, Db::Open(file, Db::Mode::kReadWrite, busy_timeout));
    std::unique_ptr<Store> store(new Store(std::move(db), AbsoluteDir(dir), std::move(wall)));
    WEFT_ASSIGN_OR_RETURN(store->hold_, HoldStoreFile(dir));
    WEFT_TRY(ApplyPragmas(store->db()));
    WEFT_TRY(store->LoadMeta(access));
    return store;
  }
  // Read-only. Where we may write the directory, a read-write connection that
  // refuses writes (query_only) cleans up its -wal and -shm on close, so nothing is
  // left behind. Elsewhere (a read-only mount, another user's store, a full disk)
  // SQLite must not create files: it reads the WAL if one holds anything, else the
  // file alone (immutable).
  auto attempt = [&](Db::Mode mode) -> Result<std::unique_ptr<Store>> {
    WEFT_ASSIGN_OR_RETURN(auto db, Db::Open(file, mode, busy_timeout));
    std::unique_ptr<Store> store(new Store(std::move(db), AbsoluteDir(dir), wall));
    WEFT_ASSIGN_OR_RETURN(store->hold_, HoldStoreFile(dir));
    WEFT_TRY(ApplyPragmas(store->db()));
    WEFT_TRY(store->LoadMeta(access));
    // After LoadMeta, which may shadow missing tables in TEMP.
    WEFT_TRY(store->db().Exec("PRAGMA query_only=ON"));
    return store;
  };
  if (CanWrite(dir, file)) {
    auto store = attempt(Db::Mode::kReadWrite);
    if (store || store.error().code() != ErrorCode::kIo) return store;
  }
  return attempt(WalHoldsData(file) ? Db::Mode::kReadOnly : Db::Mode::kImmutable);
}

Status Store::LoadMeta(Access access) {
  auto release = GetMeta("release");
  if (!release) {
    if (release.error().code() != ErrorCode::kIo) return Fail(release.error());
    return Fail(ErrorCode::kCorruption, "{} is not a weft store", dir_);
  }
  WEFT_ASSIGN_OR_RETURN(const std::int64_t stored, ParseRelease(*release, dir_));
  if (stored > kRelease) {
    return Fail(ErrorCode::kVersionMismatch,
                "this store was written by weft Release {}, and this weft is Release {}: upgrade "
                "weft to open it",
                stored, kRelease);
  }
  if (stored < kRelease) {
    if (sqlite3_db_readonly(db_->raw(), "main") != 0) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "this store is from weft Release {} and must be upgraded to Release {}, which "
                  "needs write access to {}",
                  stored, kRelease, dir_);
    }
    WEFT_ASSIGN_OR_RETURN(migration_, MigrateStore(*this, stored));
  }
  WEFT_TRY(ReadIdentity());
  WEFT_ASSIGN_OR_RETURN(auto projections, GetMeta("projection_version"));
  projections_current_ = projections.value_or("1") == std::to_string(kProjectionVersion);
  if (access == Access::kReadOnly) return ShadowMissingTables(*db_);

  // What a write-open may have to record: tables added within this Release, the
  // application_id of a store made before it was stamped, a fresh actor after a
  // move, and the current actor in own_actors. Checked by reading first, so an
  // everyday open takes no write lock; re-checked inside the transaction, so two
  // processes opening a moved store at once mint one actor, not two.
  auto needs_write = [&]() -> Result<bool> {
    WEFT_ASSIGN_OR_RETURN(bool complete, SchemaIsComplete(*db_));
    if (!complete) return true;
    WEFT_ASSIGN_OR_RETURN(std::int64_t app, db_->QueryInt("PRAGMA application_id"));
    if (app != kApplicationId) return true;
    WEFT_ASSIGN_OR_RETURN(auto host, GetMeta("host"));
    WEFT_ASSIGN_OR_RETURN(auto path, GetMeta("path"));
    if (host.value_or("") != HostName() || path.value_or("") != dir_) return true;
    WEFT_ASSIGN_OR_RETURN(bool known, IsOwnActor(*db_, actor_));
    return !known;
  };
  WEFT_ASSIGN_OR_RETURN(bool write, needs_write());
  if (!write) return {};
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  WEFT_TRY(ReadIdentity());
  WEFT_TRY(CreateCanonicalTables(*db_));
  WEFT_TRY(CreateProjectionTables(*db_));
  WEFT_ASSIGN_OR_RETURN(std::int64_t app, db_->QueryInt("PRAGMA application_id"));
  if (app != kApplicationId)
    WEFT_TRY(db_->Exec(fmt::format("PRAGMA application_id={}", kApplicationId)));
  WEFT_ASSIGN_OR_RETURN(auto host, GetMeta("host"));
  WEFT_ASSIGN_OR_RETURN(auto path, GetMeta("path"));
  if (host.value_or("") != HostName() || path.value_or("") != dir_) {
    WEFT_TRY(MintActor());
    actor_reminted_ = true;
  }
  WEFT_TRY(RememberOwnActor(*db_, actor_));
  return tx.Commit();
}

Status Store::ReadIdentity() {
  WEFT_ASSIGN_OR_RETURN(auto actor, GetMeta("actor"));
  WEFT_ASSIGN_OR_RETURN(auto name, GetMeta("instance"));
  WEFT_ASSIGN_OR_RETURN(auto branch, GetMeta("branch"));
  if (!actor || !name || !branch) {
    return Fail(ErrorCode::kCorruption, "{} is missing required meta entries", dir_);
  }
  WEFT_ASSIGN_OR_RETURN(actor_, ActorId::FromHex(*actor));
  instance_name_ = *name;
  branch_ = *branch;
  return RefreshClock();
}

Status Store::RefreshClock() {
  WEFT_ASSIGN_OR_RETURN(auto hlc, GetMeta("hlc"));
  if (!hlc) return Fail(ErrorCode::kCorruption, "{} is missing its clock (meta hlc)", dir_);
  char* end = nullptr;
  unsigned long long v = std::strtoull(hlc->c_str(), &end, 10);
  if (end == hlc->c_str() || *end != '\0') {
    return Fail(ErrorCode::kCorruption, "{} has an unreadable clock '{}'", dir_, *hlc);
  }
  clock_.Observe(Hlc(v));
  return {};
}

Status Store::MintActor(std::optional<ActorId> actor) {
  actor_ = actor ? *actor : ActorId::Random();
  WEFT_TRY(RememberOwnActor(*db_, actor_));
  WEFT_TRY(PutMeta("actor", actor_.Hex()));
  WEFT_TRY(PutMeta("host", HostName()));
  return PutMeta("path", dir_);
}

Status Store::SetBranch(const std::string& branch) {
  WEFT_TRY(PutMeta("branch", branch));
  branch_ = branch;
  return {};
}

Status Store::SwitchBranch(const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
  WEFT_TRY(SetBranch(branch));
  return tx.Commit();
}

Status Store::SaveClock() {
  // Another connection may have advanced the stored clock since we read it: the
  // stored value never goes backwards.
  WEFT_TRY(RefreshClock());
  return PutMeta("hlc", std::to_string(clock_.last().packed()));
}

Result<std::optional<std::string>> Store::GetMeta(std::string_view key) {
  WEFT_ASSIGN_OR_RETURN(Query q, db_->Prepare("SELECT value FROM meta WHERE key = ?"));
  q.Bind(key);
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

Status Store::PutMeta(std::string_view key, std::string_view value) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db_->Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)"));
  return q.Bind(key, value).Run();
}

}  // namespace weft
