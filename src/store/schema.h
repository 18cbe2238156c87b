// The store's tables and the Release guard.
//
// Canonical tables hold the truth and are never dropped: meta, changes, blobs,
// wip, pending, pending_deps. Projection tables are folded from `changes` and may
// be dropped and re-folded at any time (docs/store-schema.md lists every column).
#pragma once

#include <cstdint>
#include <span>

#include "core/release.h"
#include "store/sqlite.h"

namespace weft {

// kRelease (core/release.h) gates the wire and the store: meta `release` says
// which Release laid out the canonical tables. A store of a newer Release is
// refused; an older one is migrated forward (store/migrate.h).
// The layout of the projection tables. Projections are re-folded from the log at
// will, so a change to them needs no Release step: a store whose meta
// `projection_version` differs (absent: 1) is re-folded when it is opened for
// writing (fold/open.h). 2: conflict state and resolution stored as integers.
// 3: an index of locations by item.
inline constexpr std::int64_t kProjectionVersion = 3;

// SQLite's header field `application_id` of every weft store ("weft"), so a weft
// store is recognised by reading 100 bytes, before SQLite opens anything.
inline constexpr std::uint32_t kApplicationId = 0x77656674;

// One table: its CREATE TABLE IF NOT EXISTS statement and an optional index.
struct SchemaTable {
  const char* name;
  const char* create;
  const char* index;
};
std::span<const SchemaTable> CanonicalTables();
std::span<const SchemaTable> ProjectionTableSchemas();

Status CreateCanonicalTables(Db& db);
Status CreateProjectionTables(Db& db);
// True when every table of this build exists in the store (read only).
Result<bool> SchemaIsComplete(Db& db);
// For a read-only connection to a store written by an older build of this Release:
// creates each missing table, empty, in the connection's TEMP schema, so queries
// read it as the empty table it would be. Writes nothing to the store.
Status ShadowMissingTables(Db& db);
Status DropProjectionTables(Db& db);
// Deletes every projection row (keeps the tables); used before a full re-fold.
Status ClearProjectionTables(Db& db);

// The projection tables in a fixed order, with the ORDER BY that lists each one
// deterministically. Used by the digest and by rebuild.
struct ProjectionTable {
  const char* name;
  const char* order_by;
};
const ProjectionTable* ProjectionTables(std::size_t* count);

}  // namespace weft
