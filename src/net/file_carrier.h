// The file carrier: sync with another instance's store on disk (a USB stick, a
// shared folder). Both sides run in this process, each as a PeerSession over its
// own store; the other side answers through a Responder, as `weft serve` does, so
// what crosses is exactly what HTTP carries. Each side keeps its session as its own
// process would (net/session_keeper.h).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/session_driver.h"
#include "store/store.h"
#include "sync/protocol.h"

namespace weft::net {

// Exchanges messages between `ours` and `theirs` until both are quiet, the
// deadline passes, `max_rounds` pass, or the session stalls (three rounds that
// carried changes and neither applied nor queued any). `their_state.options.read_only`
// makes a pull (nothing is written to `theirs`).
Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, const SessionOptions& options);
Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, std::size_t max_rounds = 1000,
                                 const Transit& transit = {});

// The hello `theirs` would open a session with (for `weft sync check`).
Result<sync::Hello> PeerHello(Store& theirs);

// Opens the store of the peer `label` at `address` for a session, saying plainly
// when it is not there (kUnavailable: not reachable) or not usable (its own code,
// naming the peer: damaged, foreign, busy, another Release).
Result<std::unique_ptr<Store>> OpenPeerStore(const std::string& label, const std::string& address,
                                             Store::Access access);

}  // namespace weft::net
