// The file carrier: sync with another instance's store on disk (a USB stick, a
// shared folder). Both sides run in this process; every message still goes
// through the wire codec, so what crosses is exactly what HTTP would carry.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "store/store.h"
#include "sync/protocol.h"

namespace weft::net {

struct SessionReport {
  std::size_t messages = 0;
  std::size_t rounds = 0;
  std::size_t bytes = 0;
  std::vector<ChangeHash> received;   // applied here
  std::vector<ChangeHash> sent;       // applied there
  std::vector<std::string> problems;  // rejected changes, reset sessions
  bool quiet = false;                 // both sides had nothing more to say
};

// Hooks for tests: drop or corrupt a message in transit.
struct Transit {
  // Called with each encoded message (true = ours to theirs); return false to drop it.
  std::function<bool(bool outbound, Bytes& bytes)> deliver;
};

// Exchanges messages between `ours` and `theirs` until both are quiet or
// `max_rounds` pass. `their_state.options.read_only` makes a pull.
Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, std::size_t max_rounds = 1000,
                                 const Transit& transit = {});

}  // namespace weft::net
