// Keeping a session in a store: the peer's name for its actor, and, for a
// registered peer, our sync state for it (its shared heads), in one transaction.
#pragma once

#include <optional>
#include <string>

#include "net/session.h"
#include "store/store.h"

namespace weft::net {

// `peer_name` is the registered peer the session was with; without one only the
// peer's instance name is remembered (for "from desktop" in conflicts and logs).
SessionKeeper KeepSessionIn(Store& store, std::optional<std::string> peer_name);

}  // namespace weft::net
