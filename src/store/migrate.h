// Bringing a store of an older Release to this one (docs/design/stable.md).
//
// Before anything changes, a consistent copy of the store is written beside it
// with SQLite's online backup API and flushed; then every step from the store's
// Release to kRelease runs in one write transaction, which also stamps the new
// Release and marks the projections for a re-fold. A failure rolls back: the
// store is as it was, the copy stays, and the error says how to retry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/sqlite.h"

namespace weft {

class Store;

struct MigrationReport {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::string backup;  // the copy taken before the first step
};

// Migrates `store` (open on a writable connection) from Release `from`. Returns
// nothing when another process finished the migration first.
Result<std::optional<MigrationReport>> MigrateStore(Store& store, std::int64_t from);

// Copies the database behind `db` to `path` (which must not exist) with SQLite's
// online backup API, then flushes the copy and its directory.
Status BackupDatabase(Db& db, const std::string& path);

}  // namespace weft
