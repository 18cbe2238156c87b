// Conflict reviews: which recorded races a person here has acknowledged. A local
// flag, never synced: acknowledging on the laptop does not hide the race on the
// desktop. Canonical local data, so `rebuild` keeps it.
#pragma once

#include <set>
#include <vector>

#include "model/ids.h"
#include "store/sqlite.h"

namespace weft {

// Idempotent. REQUIRES: inside a write transaction (AckConflicts opens its own).
Status AckConflict(Db& db, const ConflictId& id);
Status AckConflicts(Db& db, const std::vector<ConflictId>& ids);
Result<std::set<ConflictId>> AckedConflicts(Db& db);

}  // namespace weft
