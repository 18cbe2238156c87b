// Sync events: one row per sync cycle with one peer (the daemon's, and each
// `weft sync`), for `weft sync events` and `weft status`. Local telemetry; never
// synced, kept to the newest kMaxSyncEvents rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite.h"

namespace weft {

inline constexpr std::int64_t kMaxSyncEvents = 10'000;

struct SyncEvent {
  std::int64_t id = 0;     // assigned when recorded; ascending
  std::int64_t at_ms = 0;  // Unix ms when the cycle started
  std::string peer;
  std::string trigger;    // start, timer, commit, event, cli, retry
  std::string direction;  // none, pull, push, both: what moved
  std::int64_t pulled = 0;
  std::int64_t pushed = 0;
  std::string names;                          // names bound by what arrived, comma-separated
  std::int64_t conflicts = 0;                 // races the cycle recorded
  std::optional<std::int64_t> their_release;  // when the peer told us
  std::string error;                          // empty on success
  std::int64_t duration_ms = 0;
};

// Appends `event` and trims the table to the newest kMaxSyncEvents rows (`keep`,
// for tests), in one transaction. Returns the id given.
Result<std::int64_t> RecordSyncEvent(Db& db, const SyncEvent& event,
                                     std::int64_t keep = kMaxSyncEvents);
// The newest `limit` events, newest first; `peer` empty: every peer.
Result<std::vector<SyncEvent>> ListSyncEvents(Db& db, const std::string& peer, std::int64_t limit);

struct PeerSyncSummary {
  std::string peer;
  std::optional<SyncEvent> last_success;
  std::optional<SyncEvent> last_error;
};
// For each peer with events, the newest successful cycle and the newest failed one.
Result<std::vector<PeerSyncSummary>> SummarizeSyncEvents(Db& db);

}  // namespace weft
