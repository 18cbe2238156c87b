// weft branch [list [--all] | create NAME | switch NAME | merge NAME | archive NAME]
#include <iostream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "model/names.h"
#include "workspace/branches.h"

namespace weft::cli {
namespace {

Status List(Context& ctx, bool all, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto branches, workspace::ListBranchReports(*store, all));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& b : branches) {
    if (json) {
      out.push_back({{"name", b.name},
                     {"current", b.current},
                     {"heads", HexList(b.heads)},
                     {"ahead_of_main", b.ahead_of_main},
                     {"behind_main", b.behind_main},
                     {"conflicts_awaiting_review", b.conflicts_awaiting_review},
                     {"archived", b.archived}});
      continue;
    }
    std::string line = (b.current ? "* " : "  ") + fmt::format("{:<20}", b.name) +
                       (b.heads.empty() ? " (no changes)" : " heads " + ShortList(b.heads));
    if (b.name != kMainBranch)
      line += fmt::format("  {} ahead, {} behind main", b.ahead_of_main, b.behind_main);
    if (const auto n = b.conflicts_awaiting_review; n > 0)
      line += fmt::format("  {} conflict{} awaiting review", n, n == 1 ? "" : "s");
    if (b.archived) line += "  (archived)";
    std::cout << line << "\n";
  }
  if (json) PrintJson(out);
  return {};
}

Status Merge(Context& ctx, const std::string& name, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::MergeResult r, workspace::MergeIntoCurrent(*store, name));
  if (json) {
    nlohmann::json out = WriteJson(*store, r.change ? &*r.change : nullptr);
    out["branch"] = store->branch();
    out["merged"] = name;
    out["up_to_date"] = r.up_to_date;
    out["collisions"] = r.collisions;
    PrintJson(out);
    return {};
  }
  if (r.up_to_date) {
    std::cout << store->branch() << " already holds everything on " << name << "\n";
    return {};
  }
  std::cout << "merged " << name << " into " << store->branch() << " at " << r.change->hash.Short();
  if (r.collisions.empty()) {
    std::cout << "\n";
    return {};
  }
  std::cout << "; took " << name << "'s side for " << r.collisions.size() << " location"
            << (r.collisions.size() == 1 ? "" : "s") << " both changed:";
  for (const auto& loc : r.collisions) std::cout << " " << loc;
  std::cout << " (recorded as conflicts resolved by merge:" << name << ")\n";
  return {};
}

// The document of a branch command: what it committed (if anything) and the branch.
void PrintBranchJson(Store& store, const EncodedChange* made, const std::string& name) {
  nlohmann::json out = WriteJson(store, made);
  out["branch"] = name;
  PrintJson(out);
}

Status Archive(Context& ctx, const std::string& name, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, workspace::ArchiveBranch(*store, name));
  if (json) {
    PrintBranchJson(*store, &c, name);
    return {};
  }
  std::cout << "archived branch " << name << " at " << c.hash.Short()
            << " (its changes stay in the log; `weft branch list --all` shows it)\n";
  return {};
}

Status Create(Context& ctx, const std::string& name, bool json) {
  WEFT_TRY(ValidateBranchName(name));
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, workspace::CreateBranch(*store, name));
  if (json) {
    PrintBranchJson(*store, &c, name);
    return {};
  }
  std::cout << "created branch " << name << " from " << store->branch() << " at " << c.hash.Short()
            << " (switch with `weft branch switch " << name << "`)\n";
  return {};
}

Status Switch(Context& ctx, const std::string& name, bool json) {
  WEFT_TRY(ValidateBranchName(name));
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_TRY(workspace::SwitchBranch(*store, name));
  if (json) {
    PrintBranchJson(*store, nullptr, name);
    return {};
  }
  std::cout << "on branch " << name << "\n";
  return {};
}

}  // namespace

void RegisterBranchCommands(CLI::App& app, Context& ctx) {
  auto* branch = app.add_subcommand("branch", "list, create, switch, merge or archive branches");
  auto json = std::make_shared<bool>(false);
  auto all = std::make_shared<bool>(false);
  branch->add_flag("--json", *json, "print one JSON document (list)");
  branch->add_flag("--all", *all, "include archived branches (list)");
  auto* list = branch->add_subcommand("list", "each branch: heads, ahead/behind main, conflicts");
  list->add_flag("--json", *json, "print one JSON document");
  list->add_flag("--all", *all, "include archived branches");
  auto* create = branch->add_subcommand("create", "start a branch from the current heads");
  auto* sw = branch->add_subcommand("switch", "make another branch current");
  auto* merge = branch->add_subcommand("merge", "merge a branch into the current one");
  auto* archive = branch->add_subcommand("archive", "hide a branch and refuse work on it");
  auto name = std::make_shared<std::string>();
  for (auto* sub : {create, sw, merge, archive}) {
    sub->add_option("name", *name)->required();
    sub->add_flag("--json", *json,
                  "print what it committed (or, for switch, the branch) as one JSON document");
  }
  branch->callback([&ctx, create, sw, merge, archive, name, json, all] {
    Status st;
    if (create->parsed()) {
      st = Create(ctx, *name, *json);
    } else if (sw->parsed()) {
      st = Switch(ctx, *name, *json);
    } else if (merge->parsed()) {
      st = Merge(ctx, *name, *json);
    } else if (archive->parsed()) {
      st = Archive(ctx, *name, *json);
    } else {
      st = List(ctx, *all, *json);
    }
    if (!st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
