// Sync events as the domain sees them: one row per sync cycle with one peer,
// recorded by the daemon and by `weft sync` (store/sync_events.h keeps them).
#pragma once

#include <chrono>
#include <string>

#include "store/sync_events.h"
#include "workspace/sync.h"

namespace weft::workspace {

// What one cycle did, from its outcome: moved counts, names, races, the error.
SyncEvent SyncEventOf(const std::string& peer, const std::string& trigger, std::int64_t started_ms,
                      std::chrono::milliseconds duration, const Result<SyncReport>& outcome);
// Records it (its own transaction; trimmed to the newest kMaxSyncEvents).
Status RecordSyncEvent(Store& store, const SyncEvent& event);

// The newest `limit` events, newest first; `peer` empty: every peer.
Result<std::vector<SyncEvent>> SyncEvents(Store& store, const std::string& peer,
                                          std::int64_t limit);
// For each peer with events: its last successful cycle and its last failed one.
Result<std::vector<PeerSyncSummary>> LastSyncs(Store& store);

}  // namespace weft::workspace
