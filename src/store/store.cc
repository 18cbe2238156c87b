#include "store/store.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "model/names.h"
#include "store/peers.h"
#include "store/schema.h"

namespace weft {
namespace fs = std::filesystem;
namespace {

std::string AbsoluteDir(const std::string& dir) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(dir, ec), ec);
  return ec ? dir : p.string();
}

Status ApplyPragmas(Db& db, bool read_only) {
  if (!read_only) WEFT_TRY(db.Exec("PRAGMA journal_mode=WAL"));
  return db.Exec(fmt::format(
      "PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF; PRAGMA cache_size={}", kDefaultCacheKiB));
}

}  // namespace

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

Result<std::unique_ptr<Store>> Store::Init(const std::string& dir, const std::string& instance_name,
                                           HlcClock::WallClock wall) {
  if (instance_name.empty() || instance_name.size() > 64) {
    return Fail(ErrorCode::kInvalidArgument, "an instance name must be 1 to 64 characters");
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Fail(ErrorCode::kIo, "cannot create {}: {}", dir, ec.message());
  fs::path file = fs::path(dir) / kStoreFileName;
  if (fs::exists(file, ec)) {
    return Fail(ErrorCode::kFailedPrecondition, "{} already holds a weft store", dir);
  }
  WEFT_ASSIGN_OR_RETURN(auto db, Db::Open(file.string(), Db::Mode::kReadWriteCreate));
  WEFT_TRY(ApplyPragmas(*db, false));
  std::unique_ptr<Store> store(new Store(std::move(db), AbsoluteDir(dir), std::move(wall)));
  {
    WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store->db()));
    WEFT_TRY(CreateCanonicalTables(store->db()));
    WEFT_TRY(CreateProjectionTables(store->db()));
    WEFT_TRY(store->PutMeta("release", std::to_string(kRelease)));
    WEFT_TRY(store->PutMeta("schema_version", std::to_string(kSchemaVersion)));
    WEFT_TRY(store->PutMeta("instance", instance_name));
    WEFT_TRY(store->PutMeta("branch", kMainBranch));
    WEFT_TRY(store->PutMeta("hlc", "0"));
    WEFT_TRY(store->MintActor());
    WEFT_TRY(tx.Commit());
  }
  WEFT_TRY(store->LoadMeta(Access::kReadWrite));
  store->actor_reminted_ = false;
  return store;
}

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, Access access,
                                           HlcClock::WallClock wall) {
  fs::path file = fs::path(dir) / kStoreFileName;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return Fail(ErrorCode::kNotFound, "no weft store at {} (run `weft init` first)", dir);
  }
  auto mode = access == Access::kReadOnly ? Db::Mode::kReadOnly : Db::Mode::kReadWrite;
  WEFT_ASSIGN_OR_RETURN(auto db, Db::Open(file.string(), mode));
  std::unique_ptr<Store> store(new Store(std::move(db), AbsoluteDir(dir), std::move(wall)));
  // Pragmas first: LoadMeta may write (minting an actor) and must do so durably.
  WEFT_TRY(ApplyPragmas(store->db(), access == Access::kReadOnly));
  WEFT_TRY(store->LoadMeta(access));
  return store;
}

Status Store::LoadMeta(Access access) {
  auto release = GetMeta("release");
  if (!release) {
    if (release.error().code() == ErrorCode::kCorruption) return Fail(release.error());
    return Fail(ErrorCode::kCorruption, "{} is not a weft store", dir_);
  }
  if (!*release) return Fail(ErrorCode::kCorruption, "{} is not a weft store (no Release)", dir_);
  char* end = nullptr;
  long long stored = std::strtoll((*release)->c_str(), &end, 10);
  if (end == (*release)->c_str() || *end != '\0' || stored < 1) {
    return Fail(ErrorCode::kCorruption, "{} has an unreadable Release '{}'", dir_, **release);
  }
  if (stored > kRelease) {
    return Fail(ErrorCode::kVersionMismatch,
                "this store was written by weft Release {}, and this weft is Release {}: upgrade "
                "weft to open it",
                stored, kRelease);
  }
  // Releases below kRelease would be migrated here; Release 1 is the first.
  WEFT_ASSIGN_OR_RETURN(auto actor, GetMeta("actor"));
  WEFT_ASSIGN_OR_RETURN(auto name, GetMeta("instance"));
  WEFT_ASSIGN_OR_RETURN(auto branch, GetMeta("branch"));
  WEFT_ASSIGN_OR_RETURN(auto hlc, GetMeta("hlc"));
  if (!actor || !name || !branch || !hlc) {
    return Fail(ErrorCode::kCorruption, "{} is missing required meta entries", dir_);
  }
  WEFT_ASSIGN_OR_RETURN(actor_, ActorId::FromHex(*actor));
  instance_name_ = *name;
  branch_ = *branch;
  clock_.Observe(Hlc(std::strtoull(hlc->c_str(), nullptr, 10)));

  if (access == Access::kReadWrite) {
    // Tables added within Release 1 (peers) are created on first write-open.
    WEFT_TRY(CreateCanonicalTables(*db_));
    WEFT_ASSIGN_OR_RETURN(auto host, GetMeta("host"));
    WEFT_ASSIGN_OR_RETURN(auto path, GetMeta("path"));
    if (host.value_or("") != HostName() || path.value_or("") != dir_) {
      WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(*db_));
      WEFT_TRY(MintActor());
      WEFT_TRY(tx.Commit());
      actor_reminted_ = true;
    }
    // Stores made before own_actors existed learn their current actor here.
    WEFT_ASSIGN_OR_RETURN(bool known, IsOwnActor(*db_, actor_));
    if (!known) WEFT_TRY(RememberOwnActor(*db_, actor_));
  }
  return {};
}

Status Store::MintActor() {
  actor_ = ActorId::Random();
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

Status Store::SaveClock() { return PutMeta("hlc", std::to_string(clock_.last().packed())); }

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
