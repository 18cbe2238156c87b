#include "store/migrate.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

#include "core/progress.h"
#include "core/release.h"
#include "store/release_steps.h"
#include "store/store.h"
#include "store/store_file.h"

namespace weft {
namespace {

// `weft.db.release1-backup`, or with a number when an earlier attempt left one.
std::string BackupPath(const std::string& file, std::int64_t from) {
  std::string base = fmt::format("{}.release{}-backup", file, from);
  std::string path = base;
  for (int n = 2; FileExists(path); ++n) path = fmt::format("{}-{}", base, n);
  return path;
}

}  // namespace

Status BackupDatabase(Db& db, const std::string& path) {
  WEFT_ASSIGN_OR_RETURN(auto copy, Db::Open(path, Db::Mode::kReadWriteCreate));
  sqlite3_backup* b = sqlite3_backup_init(copy->raw(), "main", db.raw(), "main");
  if (b == nullptr) return Fail(copy->LastError("starting the backup"));
  int rc = sqlite3_backup_step(b, -1);
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    Error e = copy->LastError("copying the store");
    copy.reset();
    std::filesystem::remove(path);
    if (rc == SQLITE_FULL) return Fail(ErrorCode::kIo, "the disk is full; no backup was written");
    return Fail(e);
  }
  // The copy is a rollback-journal database: one file, nothing beside it.
  WEFT_TRY(copy->Exec("PRAGMA journal_mode=DELETE"));
  copy.reset();
  WEFT_TRY(FlushPath(path, O_RDONLY));
  return FlushPath(std::filesystem::path(path).parent_path().string(), O_RDONLY | O_DIRECTORY);
}

Result<std::optional<MigrationReport>> MigrateStore(Store& store, std::int64_t from) {
  Db& db = store.db();
  MigrationReport report{from, kRelease, BackupPath(StoreFilePath(store.dir()), from)};
  progress::Scope phase(fmt::format("upgrading the store from Release {}", from),
                        static_cast<std::uint64_t>(kRelease - from), "steps");
  // The backup reads under its own lock; the migration then re-reads the Release
  // under the write lock, so two processes opening an old store migrate it once.
  Status backed_up = BackupDatabase(db, report.backup);
  if (!backed_up) {
    return Fail(backed_up.error().code(),
                "this store is from Release {} and must be upgraded to Release {}, but no backup "
                "could be taken first ({}); nothing was changed",
                from, kRelease, backed_up.error().message());
  }
  auto migrated = [&]() -> Result<bool> {
    WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
    WEFT_ASSIGN_OR_RETURN(auto stored, store.GetMeta("release"));
    if (!stored || *stored != std::to_string(from)) return false;
    for (const ReleaseStep& step : ReleaseSteps()) {
      if (step.to <= from) continue;
      Status st = step.apply(db);
      progress::Advance();
      if (!st) {
        return Fail(st.error().code(), "the step to Release {} ({}) failed: {}", step.to, step.what,
                    st.error().message());
      }
    }
    WEFT_TRY(store.PutMeta("release", std::to_string(kRelease)));
    // Every step changes canonical tables the projections were folded from.
    WEFT_TRY(store.PutMeta("projection_version", "0"));
    WEFT_TRY(tx.Commit());
    return true;
  }();
  if (!migrated) {
    return Fail(migrated.error().code(),
                "upgrading this store from Release {} to {} failed, and it is unchanged: {}. A "
                "copy taken before is at {}; once the cause is fixed, any weft command retries "
                "the upgrade",
                from, kRelease, migrated.error().message(), report.backup);
  }
  if (!*migrated) {
    std::filesystem::remove(report.backup);
    return std::optional<MigrationReport>();
  }
  return std::optional<MigrationReport>(std::move(report));
}

}  // namespace weft
