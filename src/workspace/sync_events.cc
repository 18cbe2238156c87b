#include "workspace/sync_events.h"

#include "core/release.h"

namespace weft::workspace {

SyncEvent SyncEventOf(const std::string& peer, const std::string& trigger, std::int64_t started_ms,
                      std::chrono::milliseconds duration, const Result<SyncReport>& outcome) {
  SyncEvent e;
  e.at_ms = started_ms;
  e.peer = peer;
  e.trigger = trigger;
  e.duration_ms = duration.count();
  if (!outcome) {
    e.direction = "none";
    e.error = outcome.error().message();
    return e;
  }
  const SyncReport& r = *outcome;
  e.pulled = static_cast<std::int64_t>(r.session.received.size());
  e.pushed = static_cast<std::int64_t>(r.session.sent);
  e.direction = e.pulled > 0 && e.pushed > 0 ? "both"
                : e.pulled > 0               ? "pull"
                : e.pushed > 0               ? "push"
                                             : "none";
  // A row stays small whatever arrived: the first names, then how many more.
  constexpr std::size_t kMaxNamesText = 1000;
  for (std::size_t i = 0; i < r.arrived.size(); ++i) {
    if (e.names.size() + r.arrived[i].size() > kMaxNamesText) {
      e.names += fmt::format(",… {} more", r.arrived.size() - i);
      break;
    }
    e.names += (e.names.empty() ? "" : ",") + r.arrived[i];
  }
  e.conflicts = r.conflicts_auto_resolved;
  // A session only runs between the same Release: the peer spoke ours.
  if (r.session.peer) e.their_release = kRelease;
  if (r.verdict == SyncVerdict::kIncomplete) e.error = r.reason;
  return e;
}

Status RecordSyncEvent(Store& store, const SyncEvent& event) {
  auto id = weft::RecordSyncEvent(store.db(), event);
  if (!id) return Fail(id.error());
  return {};
}

Result<std::vector<SyncEvent>> SyncEvents(Store& store, const std::string& peer,
                                          std::int64_t limit) {
  return ListSyncEvents(store.db(), peer, limit);
}

Result<std::vector<PeerSyncSummary>> LastSyncs(Store& store) {
  return SummarizeSyncEvents(store.db());
}

}  // namespace weft::workspace
