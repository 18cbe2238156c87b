// The documents of status, peers, races and names (workspace/documents.h).
#include "workspace/documents.h"

#include "core/hlc.h"
#include "model/names.h"

namespace weft::workspace {

nlohmann::json StatusJson(const StatusReport& r, const std::vector<Op>& staged_ops) {
  nlohmann::json ahead = nlohmann::json::array();
  for (const auto& s : r.clocks_ahead)
    ahead.push_back({{"instance", s.instance}, {"minutes", s.minutes}});
  return {
      {"store", r.dir},
      {"release", r.release},
      {"instance", r.instance},
      {"actor", r.actor.Hex()},
      {"branch", r.branch},
      {"changes", r.changes},
      {"folded", r.folded},
      {"pending", r.pending},
      {"staged", r.staged},
      {"staged_overtaken", r.staged_overtaken},
      {"staged_ops", OpsJson(staged_ops)},
      {"heads", HexList(r.heads)},
      {"branch_heads", HexList(r.branch_heads)},
      {"conflicts_awaiting_review", r.conflicts_awaiting_review},
      {"clocks_ahead", ahead},
      {"fsck_findings", r.fsck_at_ms ? nlohmann::json(r.fsck_findings) : nlohmann::json(nullptr)},
      {"quarantined_missing", r.quarantined_missing}};
}

nlohmann::json SyncEventJson(const SyncEvent& e) {
  nlohmann::json j = {{"id", e.id},
                      {"at", IsoFromMillis(static_cast<std::uint64_t>(e.at_ms), true)},
                      {"at_ms", e.at_ms},
                      {"peer", e.peer},
                      {"trigger", e.trigger},
                      {"direction", e.direction},
                      {"pulled", e.pulled},
                      {"pushed", e.pushed},
                      {"names", e.names},
                      {"conflicts", e.conflicts},
                      {"their_release", nullptr},
                      {"error", OrNull(e.error)},
                      {"duration_ms", e.duration_ms}};
  if (e.their_release) j["their_release"] = *e.their_release;
  return j;
}

nlohmann::json PeerSummaryJson(const std::vector<PeerSyncSummary>& peers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : peers) {
    out.push_back({{"peer", s.peer},
                   {"last_success", s.last_success ? SyncEventJson(*s.last_success) : nullptr},
                   {"last_error", s.last_error ? SyncEventJson(*s.last_error) : nullptr}});
  }
  return out;
}

nlohmann::json PeerJson(const Peer& p) {
  return {{"name", p.name}, {"address", OrNull(p.address)}, {"device_id", OrNull(p.device_id)}};
}

nlohmann::json ConflictJson(const ConflictView& v, bool with_source) {
  const ConflictInfo& c = v.info;
  nlohmann::json cands = nlohmann::json::array();
  for (const Side& s : v.sides) {
    nlohmann::json j = {{"change", s.entry.change.Hex()},       {"instance", s.instance},
                        {"actor", s.entry.actor.Hex()},         {"time", s.entry.hlc.ToIso()},
                        {"hlc", s.entry.hlc.packed()},          {"mine", s.mine},
                        {"outcome", DescribeOutcome(s.outcome)}};
    if (s.outcome.kind == DecodedOutcome::Kind::kBound) j["item"] = s.outcome.item.Hex();
    if (with_source) j["source"] = s.source;
    cands.push_back(j);
  }
  nlohmann::json out = {{"id", c.id.Hex()},
                        {"branch", c.branch},
                        {"slot", SlotName(c.slot)},
                        {"location", c.location},
                        {"state", ConflictStateName(c.state)},
                        {"resolution", ResolutionLabel(c.resolution)},
                        {"acked", c.acked},
                        {"awaiting_review", c.AwaitingReview()},
                        {"winner", c.winner.Hex()},
                        {"candidates", cands}};
  if (c.resolver) out["resolver"] = c.resolver->Hex();
  out["cause"] = c.cause ? nlohmann::json(c.cause->Hex()) : nlohmann::json(nullptr);
  out["dependents"] = HexList(c.dependents);
  return out;
}

nlohmann::json NameRowJson(const NameRow& r) {
  const Binding& b = r.binding;
  nlohmann::json row = {{"location", b.location},
                        {"namespace", NamespaceName(b.ns)},
                        {"kind", b.kind ? ItemKindName(*b.kind) : NamespaceName(b.ns)},
                        {"hash", b.item.Hex()},
                        {"deprecated", b.deprecated_reason.has_value()},
                        {"divergent", b.divergent},
                        {"staged", nullptr}};
  if (r.staged) {
    row["staged"] = StagedLabel(*r.staged);
    row["staged_hash"] = r.staged->after ? nlohmann::json(r.staged->after->Hex()) : nullptr;
  }
  return row;
}

nlohmann::json ModuleJson(const ModuleCount& m) {
  return {{"module", m.module}, {"names", m.names}};
}

nlohmann::json ItemJson(const ItemReport& r) {
  nlohmann::json doc = {{"hash", r.hash.Hex()},
                        {"kind", ItemKindName(r.kind)},
                        {"names", r.names},
                        {"refs", HexList(r.refs)},
                        {"source", r.source},
                        {"component", r.component},
                        {"staged", r.staged ? nlohmann::json(*r.staged) : nullptr}};
  if (const auto& binding = r.binding) {
    doc["location"] = binding->location;
    doc["bound_by"] = binding->change.Hex();
    doc["divergent"] = binding->divergent;
    doc["deprecated"] = binding->deprecated_reason.has_value();
    if (binding->deprecated_reason) doc["deprecation_reason"] = *binding->deprecated_reason;
    if (binding->replacement) doc["replacement"] = *binding->replacement;
  }
  return doc;
}

nlohmann::json LinksJson(const ItemHash& item, const std::vector<LinkedItem>& linked,
                         bool dependents) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& i : linked) list.push_back({{"hash", i.hash.Hex()}, {"names", i.names}});
  return {{"hash", item.Hex()}, {dependents ? "dependents" : "dependencies", list}};
}

nlohmann::json FoundJson(const Found& f) {
  return {{"location", f.binding.location},
          {"namespace", NamespaceName(f.binding.ns)},
          {"hash", f.binding.item.Hex()},
          {"match", f.why},
          {"line", OrNull(f.line)}};
}

}  // namespace weft::workspace
