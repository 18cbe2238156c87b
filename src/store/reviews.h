// Conflict reviews: which recorded races a person here has acknowledged. A local
// flag, never synced: acknowledging on the laptop does not hide the race on the
// desktop. Canonical local data, so `rebuild` keeps it.
#pragma once

#include <set>

#include "model/ids.h"
#include "store/sqlite.h"

namespace weft {

// Idempotent.
Status AckConflict(Db& db, const ConflictId& id);
Result<std::set<ConflictId>> AckedConflicts(Db& db);

}  // namespace weft
