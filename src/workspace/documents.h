// The JSON documents of the domain (docs/json.md): what `--json` prints and what
// the dashboard's /v1/ API answers, built in one place so the two never differ.
// Hashes are full hex strings; times RFC 3339 UTC beside the raw HLC; `null`,
// never "", for what does not exist.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "fold/conflict_queries.h"
#include "model/change.h"
#include "model/op.h"
#include "store/peers.h"
#include "store/store.h"
#include "store/sync_events.h"
#include "workspace/conflicts.h"
#include "workspace/find.h"
#include "workspace/history.h"
#include "workspace/names.h"
#include "workspace/status.h"
#include "workspace/sync.h"

namespace weft::workspace {

// Full hex of each hash.
template <typename H>
nlohmann::json HexList(const std::vector<H>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hashes) out.push_back(h.Hex());
  return out;
}
// The string, or null when it is empty.
nlohmann::json OrNull(const std::string& s);

// {"op": "bind", "namespace": "term", "location": …, "item": hex, "text": …}.
nlohmann::json OpJson(const Op& op);
nlohmann::json OpsJson(const std::vector<Op>& ops);
// A change as `log --json` prints it.
nlohmann::json ChangeJson(Store& store, const ChangeHash& hash, const Change& change);
// `log --json`: the newest changes; with a name, {"location", "changes", "races"}.
nlohmann::json LogJson(Store& store, const std::vector<LogLine>& entries);
nlohmann::json NameLogJson(Store& store, const std::string& name,
                           const std::vector<LogLine>& entries,
                           const std::vector<ConflictInfo>& races);

// `status --json`, but for the daemon's part (added by who knows the daemon).
nlohmann::json StatusJson(const StatusReport& r, const std::vector<Op>& staged_ops);
// A cycle of `sync events --json`.
nlohmann::json SyncEventJson(const SyncEvent& e);
// Each peer's newest successful and failed cycle, as `status --json` lists them.
nlohmann::json PeerSummaryJson(const std::vector<PeerSyncSummary>& peers);
// A row of `peer ls --json`.
nlohmann::json PeerJson(const Peer& p);

// A race of `conflicts --json`; `with_source` adds each side's source (`show`).
nlohmann::json ConflictJson(const ConflictView& v, bool with_source);

// A row of `ls --json`.
nlohmann::json NameRowJson(const NameRow& row);
// A row of `ls --modules --json`.
nlohmann::json ModuleJson(const ModuleCount& m);
// `show --json`.
nlohmann::json ItemJson(const ItemReport& r);
// `show --deps --json` or `show --dependents --json`.
nlohmann::json LinksJson(const ItemHash& item, const std::vector<LinkedItem>& linked,
                         bool dependents);
// A row of `find --json`.
nlohmann::json FoundJson(const Found& f);

// What a write command prints: {"change": the change it committed or null,
// "staged": the ops it staged}; each command adds its own fields.
nlohmann::json WriteJson(Store& store, const EncodedChange* made,
                         const std::vector<Op>& staged = {});
// `conflicts ack --json`: nothing committed, and the races acknowledged.
nlohmann::json AckJson(Store& store, const std::vector<ConflictInfo>& acked);
// `conflicts resolve --json`: the change made, the side kept, dependents re-pointed.
Result<nlohmann::json> ResolveJson(Store& store, const Resolution& r);
// One peer's part of `sync --json`.
nlohmann::json SyncJson(const std::string& label, const SyncReport& r);
// `sync check --json`, with the reason when a sync is not possible.
nlohmann::json CheckJson(const std::string& label, const CheckReport& r);

}  // namespace weft::workspace
