#include "cli/json_out.h"

#include "cli/context.h"
#include "core/overloaded.h"
#include "fold/conflict_queries.h"
#include "model/names.h"
#include "workspace/labels.h"

namespace weft::cli {

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
          {"hlc", change.hlc.packed()},   {"author", workspace::AuthorLabel(store, change.actor)},
          {"actor", change.actor.Hex()},  {"seq", change.seq},
          {"branch", change.branch},      {"message", change.message},
          {"deps", HexList(change.deps)}, {"ops", OpsJson(change.ops)}};
}

nlohmann::json WriteJson(Store& store, const EncodedChange* made, const std::vector<Op>& staged) {
  return {{"change", made != nullptr ? ChangeJson(store, made->hash, made->change) : nullptr},
          {"staged", OpsJson(staged)}};
}

std::shared_ptr<bool> AddWriteJsonFlag(CLI::App& command) {
  auto json = std::make_shared<bool>(false);
  command.add_flag("--json", *json,
                   "print what it committed or staged as one JSON document (docs/json.md)");
  return json;
}

}  // namespace weft::cli
