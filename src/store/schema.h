// The store's tables and the Release guard.
//
// Canonical tables hold the truth and are never dropped: meta, changes, blobs,
// wip, pending, pending_deps. Projection tables are folded from `changes` and may
// be dropped and re-folded at any time (docs/store-schema.md lists every column).
#pragma once

#include <cstdint>

#include "store/sqlite.h"

namespace weft {

// One number gates the wire and the store. A store stamped with a newer Release is
// refused; an older one is migrated forward when migrations exist.
inline constexpr std::int64_t kRelease = 1;
inline constexpr std::int64_t kSchemaVersion = 1;

Status CreateCanonicalTables(Db& db);
Status CreateProjectionTables(Db& db);
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
