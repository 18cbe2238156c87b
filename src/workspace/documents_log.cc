// The documents of ops, changes and the log (workspace/documents.h).
#include "core/overloaded.h"
#include "model/names.h"
#include "workspace/documents.h"
#include "workspace/labels.h"

namespace weft::workspace {

nlohmann::json OrNull(const std::string& s) {
  return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json OpJson(const Op& op) {
  nlohmann::json out = std::visit(
      Overloaded{
          [](const AddItem& o) -> nlohmann::json {
            return {{"op", "add_item"}, {"item", o.item.Hex()}};
          },
          [](const SetName& o) -> nlohmann::json {
            return {{"op", "bind"},
                    {"namespace", NamespaceName(o.ns)},
                    {"location", o.location},
                    {"item", o.item.Hex()}};
          },
          [](const Unname& o) -> nlohmann::json {
            return {{"op", "unbind"}, {"namespace", NamespaceName(o.ns)}, {"location", o.location}};
          },
          [](const Deprecate& o) -> nlohmann::json {
            return {{"op", "deprecate"},
                    {"location", o.location},
                    {"reason", o.reason},
                    {"replacement", o.replacement ? nlohmann::json(*o.replacement) : nullptr}};
          },
          [](const Undeprecate& o) -> nlohmann::json {
            return {{"op", "undeprecate"}, {"location", o.location}};
          },
          [](const CreateBranch& o) -> nlohmann::json {
            return {{"op", "create_branch"}, {"branch", o.name}};
          },
          [](const Resolve& o) -> nlohmann::json {
            return {{"op", "resolve"}, {"conflict", o.id.Hex()}};
          },
          [](const MergeBranch& o) -> nlohmann::json {
            return {{"op", "merge_branch"}, {"branch", o.name}};
          },
          [](const ArchiveBranch& o) -> nlohmann::json {
            return {{"op", "archive_branch"}, {"branch", o.name}};
          },
          [](const Base& o) -> nlohmann::json {
            return {{"op", "base"},
                    {"slot", SlotName(o.slot)},
                    {"location", o.location},
                    {"frontier", HexList(o.frontier)}};
          },
          [](const Repoint& o) -> nlohmann::json {
            return {{"op", "repoint"},
                    {"namespace", NamespaceName(o.ns)},
                    {"location", o.location},
                    {"item", o.item.Hex()},
                    {"cause_namespace", NamespaceName(o.cause_ns)},
                    {"cause", o.cause}};
          },
      },
      op);
  out["text"] = DescribeOp(op);
  return out;
}

nlohmann::json OpsJson(const std::vector<Op>& ops) {
  nlohmann::json out = nlohmann::json::array();
  for (const Op& op : ops) out.push_back(OpJson(op));
  return out;
}

nlohmann::json ChangeJson(Store& store, const ChangeHash& hash, const Change& change) {
  return {{"hash", hash.Hex()},           {"time", change.hlc.ToIso()},
          {"hlc", change.hlc.packed()},   {"author", AuthorLabel(store, change.actor)},
          {"actor", change.actor.Hex()},  {"seq", change.seq},
          {"branch", change.branch},      {"message", change.message},
          {"deps", HexList(change.deps)}, {"ops", OpsJson(change.ops)}};
}

nlohmann::json LogJson(Store& store, const std::vector<LogLine>& entries) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : entries) out.push_back(ChangeJson(store, e.hash, e.change));
  return out;
}

namespace {

nlohmann::json RaceJson(const ConflictInfo& c) {
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& e : c.candidates) candidates.push_back(e.change.Hex());
  return {{"id", c.id.Hex()},         {"slot", SlotName(c.slot)}, {"location", c.location},
          {"candidates", candidates}, {"winner", c.winner.Hex()}, {"state", StateLabel(c)},
          {"acked", c.acked}};
}

}  // namespace

nlohmann::json NameLogJson(Store& store, const std::string& name,
                           const std::vector<LogLine>& entries,
                           const std::vector<ConflictInfo>& races) {
  nlohmann::json race_list = nlohmann::json::array();
  for (const auto& r : races) race_list.push_back(RaceJson(r));
  return {{"location", name}, {"changes", LogJson(store, entries)}, {"races", race_list}};
}

}  // namespace weft::workspace
