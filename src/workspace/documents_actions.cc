// The documents of what a person does: a write, an ack, a resolution, a sync and
// its check (workspace/documents.h).
#include "core/release.h"
#include "workspace/documents.h"
#include "workspace/labels.h"

namespace weft::workspace {

nlohmann::json WriteJson(Store& store, const EncodedChange* made, const std::vector<Op>& staged) {
  return {{"change", made != nullptr ? ChangeJson(store, made->hash, made->change) : nullptr},
          {"staged", OpsJson(staged)}};
}

nlohmann::json AckJson(Store& store, const std::vector<ConflictInfo>& acked) {
  // An ack is local state: no change, nothing staged.
  nlohmann::json out = WriteJson(store, nullptr);
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : acked) list.push_back({{"id", t.id.Hex()}, {"location", t.location}});
  out["acked"] = list;
  return out;
}

Result<nlohmann::json> ResolveJson(Store& store, const Resolution& r) {
  WEFT_ASSIGN_OR_RETURN(DecodedOutcome outcome, DecodeOutcome(r.chosen.outcome));
  nlohmann::json out = WriteJson(store, &r.change);
  out["location"] = r.location;
  out["kept"] = {{"change", r.chosen.change.Hex()},
                 {"instance", AuthorLabel(store, r.chosen.actor)},
                 {"outcome", DescribeOutcome(outcome)}};
  out["dependents"] = r.dependents;
  return out;
}

nlohmann::json SyncJson(const std::string& label, const SyncReport& r) {
  const net::SessionReport& s = r.session;
  return {{"peer", label},
          {"received", s.received.size()},
          {"sent", s.sent},
          {"names", r.arrived},
          {"messages", s.messages},
          {"round_trips", s.round_trips},
          {"bytes", s.bytes},
          {"in_sync", r.verdict == SyncVerdict::kInSync},
          {"confirmed", s.confirmed},
          {"heads", HexList(r.heads)},
          {"missing_here", HexList(s.missing_here)},
          {"missing_there", HexList(s.missing_there)},
          {"conflicts_auto_resolved", r.conflicts_auto_resolved},
          {"conflicts_settled", r.conflicts_settled},
          {"staged_overtaken", r.staged_overtaken},
          {"notices", s.notices},
          {"problems", s.problems}};
}

nlohmann::json CheckJson(const std::string& label, const CheckReport& r) {
  const bool possible = !r.impossible;
  nlohmann::json out = {
      {"peer", label},
      {"our_release", kRelease},
      {"possible", possible},
      {"reason", possible ? nlohmann::json(nullptr) : nlohmann::json(r.impossible->message())},
      {"to_pull", nullptr},
      {"to_push", nullptr}};
  // A hello decodes only under our Release: a number when it was read, else null.
  out["their_release"] = r.hello ? nlohmann::json(kRelease) : nlohmann::json(nullptr);
  if (r.hello) {
    out["to_pull"] = r.to_pull;
    out["to_push"] = r.to_push;
    out["instance"] = r.hello->instance;
    out["actor"] = r.hello->actor.Hex();
    out["changes"] = r.hello->changes;
  }
  return out;
}

}  // namespace weft::workspace
