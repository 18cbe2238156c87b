// weft ls | show | rm | mv
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/context.h"
#include "cli/staging.h"
#include "fold/item_access.h"
#include "fold/queries.h"
#include "lang/printer.h"
#include "model/names.h"
#include "store/blob_store.h"

namespace weft::cli {
namespace {

std::string KindLabel(const Binding& b) {
  return b.kind ? ItemKindName(*b.kind) : NamespaceName(b.ns);
}

Result<Binding> RequireBinding(Store& store, const std::string& name) {
  WEFT_TRY(ValidateLocation(name));
  WEFT_ASSIGN_OR_RETURN(auto b, FindBinding(store.db(), store.branch(), name));
  if (!b) return Fail(ErrorCode::kNotFound, "{} is not bound on branch {}", name, store.branch());
  return *b;
}

Status Ls(Context& ctx, const std::string& prefix, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto rows, ListBindings(store->db(), store->branch(), prefix));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& b : rows) {
      out.push_back({{"location", b.location},
                     {"namespace", NamespaceName(b.ns)},
                     {"kind", KindLabel(b)},
                     {"hash", b.item.Hex()},
                     {"deprecated", b.deprecated_reason.has_value()},
                     {"divergent", b.divergent}});
    }
    PrintJson(out);
    return {};
  }
  if (rows.empty())
    std::cout << "nothing bound" << (prefix.empty() ? "" : " under " + prefix) << "\n";
  for (const auto& b : rows) {
    std::cout << fmt::format("{:<40} {:<4} {}{}{}\n", b.location, KindLabel(b), b.item.Short(),
                             b.deprecated_reason ? "  (deprecated)" : "",
                             b.divergent ? "  (divergent)" : "");
  }
  return {};
}

// Names (or short hashes) of a list of items, for --deps and --dependents.
nlohmann::json DescribeItems(Store& store, const std::vector<ItemHash>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : items) {
    auto names = NamesOf(store.db(), store.branch(), h);
    nlohmann::json entry = {{"hash", h.Hex()},
                            {"names", names ? *names : std::vector<std::string>{}}};
    out.push_back(entry);
  }
  return out;
}

Result<std::vector<ItemHash>> ItemColumn(Db& db, const char* sql, const ItemHash& item,
                                         const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql));
  q.Bind(item.bytes(), branch);
  return CollectHashes<ItemHash>(q);
}

Status Show(Context& ctx, const std::string& what, bool json, bool deps, bool dependents) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  std::optional<Binding> binding;
  ItemHash hash;
  if (ValidateLocation(what)) {
    WEFT_ASSIGN_OR_RETURN(binding, FindBinding(store->db(), store->branch(), what));
    if (!binding)
      return Fail(ErrorCode::kNotFound, "{} is not bound on branch {}", what, store->branch());
    hash = binding->item;
  } else {
    WEFT_ASSIGN_OR_RETURN(hash, ResolveItemPrefix(store->db(), what));
  }
  if (deps || dependents) {
    // ?2 (the branch) is unused by the first query; both take the same parameters.
    const char* sql =
        deps
            ? "SELECT depends_on FROM dependencies WHERE item = ?1 AND ?2 IS NOT NULL "
              "ORDER BY depends_on"
            : "SELECT d.item FROM dependencies d WHERE d.depends_on = ?1 AND EXISTS "
              "(SELECT 1 FROM locations l WHERE l.item = d.item AND l.branch = ?2) ORDER BY d.item";
    WEFT_ASSIGN_OR_RETURN(auto items, ItemColumn(store->db(), sql, hash, store->branch()));
    nlohmann::json list = DescribeItems(*store, items);
    if (json) {
      PrintJson({{"hash", hash.Hex()}, {deps ? "dependencies" : "dependents", list}});
      return {};
    }
    if (items.empty()) std::cout << (deps ? "no dependencies\n" : "no dependents on this branch\n");
    for (const auto& entry : list) {
      std::string hex = entry["hash"];
      std::string names;
      for (const auto& n : entry["names"]) names += " " + n.get<std::string>();
      std::cout << hex.substr(0, 8) << (names.empty() ? "  (not bound on this branch)" : " ")
                << names << "\n";
    }
    return {};
  }
  WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(store->db(), hash));
  if (!item) return Fail(ErrorCode::kNotFound, "item {} is not in this store", hash.Short());
  WEFT_ASSIGN_OR_RETURN(auto names, NamesOf(store->db(), store->branch(), hash));
  const std::string asked = binding ? binding->location : std::string();
  WEFT_ASSIGN_OR_RETURN(std::string source,
                        PrintStoredItem(store->db(), store->branch(), hash, asked));
  WEFT_ASSIGN_OR_RETURN(lang::DecodedComponent dc, DecodeStoredItem(store->db(), hash));
  WEFT_TRY(UseBoundNames(store->db(), store->branch(), dc, asked));
  std::vector<std::string> together;
  for (std::size_t i = 0; i < dc.component.members.size(); ++i) {
    if (i != dc.self) together.push_back(dc.component.members[i].name);
  }
  if (json) {
    nlohmann::json doc = {{"hash", hash.Hex()}, {"kind", ItemKindName(item->kind)},
                          {"names", names},     {"refs", HexList(item->refs)},
                          {"source", source},   {"component", together}};
    if (binding) {
      doc["location"] = binding->location;
      doc["bound_by"] = binding->change.Hex();
      doc["divergent"] = binding->divergent;
      doc["deprecated"] = binding->deprecated_reason.has_value();
      if (binding->deprecated_reason) doc["deprecation_reason"] = *binding->deprecated_reason;
      if (binding->replacement) doc["replacement"] = *binding->replacement;
    }
    PrintJson(doc);
    return {};
  }
  std::cout << "-- " << ItemKindName(item->kind) << " " << hash.Short();
  if (!names.empty()) {
    std::cout << " bound as";
    for (const auto& n : names) std::cout << " " << n;
  }
  std::cout << "\n";
  if (!together.empty()) {
    std::cout << "-- defined together with";
    for (const auto& n : together) std::cout << " " << n;
    std::cout << "\n";
  }
  if (binding && binding->deprecated_reason) {
    std::cout << "-- deprecated: " << *binding->deprecated_reason;
    if (binding->replacement) std::cout << " (use " << *binding->replacement << ")";
    std::cout << "\n";
  }
  if (binding && binding->divergent)
    std::cout << "-- divergent: concurrent edits disagree on this name\n";
  std::cout << source << "\n";
  return {};
}

Status Rm(Context& ctx, const std::string& name) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(*store, name));
  WEFT_TRY(StageAll(*store, {Unname{b.ns, name}}));
  std::cout << "staged: unbind " << name << " (run `weft commit -m ...`)\n";
  return {};
}

Status Mv(Context& ctx, const std::string& from, const std::string& to) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(*store, from));
  WEFT_TRY(ValidateLocation(to));
  WEFT_ASSIGN_OR_RETURN(auto taken, FindBinding(store->db(), store->branch(), to, b.ns));
  if (taken)
    return Fail(ErrorCode::kFailedPrecondition, "{} is already bound; remove it first", to);
  WEFT_TRY(StageAll(*store, {Unname{b.ns, from}, SetName{b.ns, to, b.item}}));
  std::cout << "staged: rename " << from << " to " << to << "\n";
  return {};
}

}  // namespace

void RegisterNameCommands(CLI::App& app, Context& ctx) {
  auto* ls = app.add_subcommand("ls", "names bound on the current branch");
  auto prefix = std::make_shared<std::string>();
  auto ls_json = std::make_shared<bool>(false);
  ls->add_option("prefix", *prefix, "only names starting with this");
  ls->add_flag("--json", *ls_json, "print one JSON document");
  ls->callback([&ctx, prefix, ls_json] {
    if (auto st = Ls(ctx, *prefix, *ls_json); !st) ctx.Report(st.error());
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
    if (auto st = Show(ctx, *what, *show_json, *deps, *dependents); !st) ctx.Report(st.error());
  });

  auto* rm = app.add_subcommand("rm", "stage unbinding a name");
  auto rm_name = std::make_shared<std::string>();
  rm->add_option("name", *rm_name)->required();
  rm->callback([&ctx, rm_name] {
    if (auto st = Rm(ctx, *rm_name); !st) ctx.Report(st.error());
  });

  auto* mv = app.add_subcommand("mv", "stage renaming a name");
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  mv->add_option("old", *from)->required();
  mv->add_option("new", *to)->required();
  mv->callback([&ctx, from, to] {
    if (auto st = Mv(ctx, *from, *to); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
