// The dashboard's login token (`weft dashboard token`): what a browser on another
// machine, which has no device certificate, shows once to be let in. The store
// keeps only the token's SHA-256; minting a new one retires the old.
#pragma once

#include <string>

#include "store/store.h"

namespace weft::workspace {

// A new token (64 hex digits from the CSPRNG); the previous one stops working.
Result<std::string> NewDashboardToken(Store& store);
// True when `token` is the current one (compared in constant time).
Result<bool> IsDashboardToken(Store& store, const std::string& token);

}  // namespace weft::workspace
