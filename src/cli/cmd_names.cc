// weft ls | show | rm | mv
#include <fmt/format.h>

#include <algorithm>
#include <iostream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "cli/text.h"
#include "model/names.h"
#include "workspace/names.h"
#include "workspace/staged_view.h"

namespace weft::cli {
namespace {

std::string KindLabel(const Binding& b) {
  return b.kind ? ItemKindName(*b.kind) : NamespaceName(b.ns);
}

Status LsModules(Context& ctx, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto modules, workspace::Modules(*store));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : modules) out.push_back(workspace::ModuleJson(m));
    PrintJson(out);
    return {};
  }
  ctx.Page();
  if (modules.empty()) std::cout << "nothing bound\n";
  for (const auto& m : modules) {
    std::cout << fmt::format("{:<40} {:>7} name{}\n", m.module.empty() ? "(top level)" : m.module,
                             fmt::group_digits(m.names), m.names == 1 ? "" : "s");
  }
  return {};
}

Status Ls(Context& ctx, const std::string& prefix, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto rows, workspace::NameRows(*store, prefix));
  WEFT_ASSIGN_OR_RETURN(auto edits, workspace::StagedEdits(*store));  // for the count below
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& r : rows) out.push_back(workspace::NameRowJson(r));
    PrintJson(out);
    return {};
  }
  ctx.Page();
  if (rows.empty())
    std::cout << "nothing bound" << (prefix.empty() ? "" : " under " + prefix) << "\n";
  const bool c = ctx.color;
  for (const auto& r : rows) {
    const Binding& b = r.binding;
    std::string staged;
    if (r.staged && !r.staged->after) staged = "  (staged: unbind)";
    if (r.staged && r.staged->after && r.staged->before)
      staged = "  (staged: -> " + r.staged->after->Short() + ")";
    if (r.staged && r.staged->after && !r.staged->before) staged = "  (staged)";
    std::cout << fmt::format("{:<40} {:<4} {}{}{}{}\n", b.location, KindLabel(b),
                             Paint(c, Color::kYellow, b.item.Short()),
                             Paint(c, Color::kDim, b.deprecated_reason ? "  (deprecated)" : ""),
                             Paint(c, Color::kRed, b.divergent ? "  (divergent)" : ""),
                             Paint(c, Color::kGreen, staged));
  }
  if (!edits.empty() && !json) {
    std::cout << "(" << edits.size() << " name" << (edits.size() == 1 ? "" : "s")
              << " staged: `weft diff` shows them)\n";
  }
  return {};
}

Status Links(Context& ctx, const std::string& what, bool json, bool dependents) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto report, workspace::ShowItem(*store, what));
  WEFT_ASSIGN_OR_RETURN(auto items, workspace::ItemLinks(*store, what, dependents));
  if (json) {
    PrintJson(workspace::LinksJson(report.hash, items, dependents));
    return {};
  }
  if (items.empty())
    std::cout << (dependents ? "no dependents on this branch\n" : "no dependencies\n");
  for (const auto& i : items) {
    std::string names;
    for (const auto& n : i.names) names += " " + n;
    std::cout << i.hash.Short() << (names.empty() ? "  (not bound on this branch)" : " ") << names
              << "\n";
  }
  return {};
}

Status Show(Context& ctx, const std::string& what, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::ItemReport r, workspace::ShowItem(*store, what));
  if (json) {
    PrintJson(workspace::ItemJson(r));
    return {};
  }
  const auto& binding = r.binding;
  ctx.Page();
  std::cout << "-- " << ItemKindName(r.kind) << " "
            << Paint(ctx.color, Color::kYellow, r.hash.Short());
  if (!r.names.empty()) {
    std::cout << " bound as";
    for (const auto& n : r.names) std::cout << " " << n;
  }
  if (r.staged) std::cout << " (" << Paint(ctx.color, Color::kGreen, *r.staged) << ")";
  std::cout << "\n";
  if (!r.component.empty()) {
    std::cout << "-- defined together with";
    for (const auto& n : r.component) std::cout << " " << n;
    std::cout << "\n";
  }
  if (binding && binding->deprecated_reason) {
    std::cout << "-- deprecated: " << *binding->deprecated_reason;
    if (binding->replacement) std::cout << " (use " << *binding->replacement << ")";
    std::cout << "\n";
  }
  if (binding && binding->divergent)
    std::cout << "-- divergent: concurrent edits disagree on this name\n";
  std::cout << r.source << "\n";
  return {};
}

Status Rm(Context& ctx, const std::string& name, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto ops, workspace::StageUnbind(*store, name));
  if (json) {
    PrintJson(WriteJson(*store, nullptr, ops));
    return {};
  }
  std::cout << "staged: unbind " << name << " (run `weft commit -m ...`)\n";
  return {};
}

Status Mv(Context& ctx, const std::string& from, const std::string& to, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto ops, workspace::StageRename(*store, from, to));
  if (json) {
    PrintJson(WriteJson(*store, nullptr, ops));
    return {};
  }
  std::cout << "staged: rename " << from << " to " << to << "\n";
  return {};
}

}  // namespace

void RegisterNameCommands(CLI::App& app, Context& ctx) {
  auto* ls = app.add_subcommand("ls", "names bound on the current branch");
  auto prefix = std::make_shared<std::string>();
  auto ls_json = std::make_shared<bool>(false);
  auto modules = std::make_shared<bool>(false);
  ls->add_option("prefix", *prefix, "only names starting with this");
  ls->add_flag("--json", *ls_json, "print one JSON document");
  ls->add_flag("--modules", *modules, "the modules instead, with how many names each binds");
  ls->callback([&ctx, prefix, ls_json, modules] {
    auto st = *modules ? LsModules(ctx, *ls_json) : Ls(ctx, *prefix, *ls_json);
    if (!st) ctx.Report(st.error());
  });

  auto* show = app.add_subcommand("show", "an item's source, by name or hash");
  auto what = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  auto deps = std::make_shared<bool>(false);
  auto dependents = std::make_shared<bool>(false);
  show->add_option("name", *what, "a name or a hash prefix (8+ hex digits)")->required();
  show->add_flag("--json", *show_json, "print one JSON document");
  auto* deps_flag = show->add_flag("--deps", *deps, "list the items it refers to");
  show->add_flag("--dependents", *dependents, "list the items on this branch that refer to it")
      ->excludes(deps_flag);
  show->callback([&ctx, what, show_json, deps, dependents] {
    auto st = *deps || *dependents ? Links(ctx, *what, *show_json, *dependents)
                                   : Show(ctx, *what, *show_json);
    if (!st) ctx.Report(st.error());
  });

  auto* rm = app.add_subcommand("rm", "stage unbinding a name");
  auto rm_name = std::make_shared<std::string>();
  rm->add_option("name", *rm_name)->required();
  auto rm_json = AddWriteJsonFlag(*rm);
  rm->callback([&ctx, rm_name, rm_json] {
    if (auto st = Rm(ctx, *rm_name, *rm_json); !st) ctx.Report(st.error());
  });

  auto* mv = app.add_subcommand("mv", "stage renaming a name");
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  mv->add_option("old", *from)->required();
  mv->add_option("new", *to)->required();
  auto mv_json = AddWriteJsonFlag(*mv);
  mv->callback([&ctx, from, to, mv_json] {
    if (auto st = Mv(ctx, *from, *to, *mv_json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
