// Opening a store whose projections may need a re-fold.
//
// Store::Open (store/store.h) recognises the file and checks the Release; this
// also brings the projection tables to this build's layout (kProjectionVersion):
// a store folded under another layout is re-folded from its log, in one
// transaction, before it is used. A read-only open of such a store re-folds it
// first when this process may write it, and otherwise says what to run.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace weft {

// `refolded`, when given, is set when the projections were re-folded.
Result<std::unique_ptr<Store>> OpenStore(
    const std::string& dir, Store::Access access, HlcClock::WallClock wall = SystemMillis,
    bool* refolded = nullptr, std::chrono::milliseconds busy_timeout = kDefaultBusyTimeout);

}  // namespace weft
