// weft ls | show | rm | mv | put
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/context.h"
#include "cli/staging.h"
#include "fold/queries.h"
#include "model/names.h"
#include "store/blob_store.h"

namespace weft::cli {
namespace {

constexpr std::size_t kMaxItemText = 1 << 20;

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
  auto store = ctx.Open();
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

Status Show(Context& ctx, const std::string& what, bool json) {
  auto store = ctx.Open();
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
  WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(store->db(), hash));
  if (!item) return Fail(ErrorCode::kNotFound, "item {} is not in this store", hash.Short());
  WEFT_ASSIGN_OR_RETURN(auto names, NamesOf(store->db(), store->branch(), hash));
  std::string source(AsChars(item->display));
  if (json) {
    nlohmann::json refs = nlohmann::json::array();
    for (const auto& r : item->refs) refs.push_back(r.Hex());
    nlohmann::json doc = {{"hash", hash.Hex()},
                          {"kind", ItemKindName(item->kind)},
                          {"names", names},
                          {"refs", refs},
                          {"source", source}};
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
  if (binding && binding->deprecated_reason) {
    std::cout << "-- deprecated: " << *binding->deprecated_reason;
    if (binding->replacement) std::cout << " (use " << *binding->replacement << ")";
    std::cout << "\n";
  }
  if (binding && binding->divergent)
    std::cout << "-- divergent: concurrent edits disagree on this name\n";
  std::cout << source << (source.empty() || source.back() != '\n' ? "\n" : "");
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

Result<std::string> ReadText(const std::string& text, const std::string& file) {
  if (!text.empty() && !file.empty())
    return Fail(ErrorCode::kInvalidArgument, "give --text or --file, not both");
  if (file.empty()) {
    if (text.empty())
      return Fail(ErrorCode::kInvalidArgument, "give the item's text with --text or --file");
    return text;
  }
  std::string out;
  if (file == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), {});
  } else {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Fail(ErrorCode::kNotFound, "cannot read {}", file);
    out.assign(std::istreambuf_iterator<char>(in), {});
  }
  if (out.empty()) return Fail(ErrorCode::kInvalidArgument, "{} is empty", file);
  return out;
}

Status Put(Context& ctx, const std::string& name, const std::string& kind_text,
           const std::string& text, const std::string& file) {
  WEFT_TRY(ValidateLocation(name));
  WEFT_ASSIGN_OR_RETURN(ItemKind kind, ParseItemKind(kind_text));
  WEFT_ASSIGN_OR_RETURN(std::string body, ReadText(text, file));
  if (body.size() > kMaxItemText) {
    return Fail(ErrorCode::kInvalidArgument, "an item's text may be at most {} bytes",
                kMaxItemText);
  }
  auto store = ctx.Open();
  if (!store) return {};
  Bytes bytes(body.begin(), body.end());
  Item item = Item::Make(kind, {}, bytes, bytes);
  ItemHash hash = item.Hash();
  const Namespace ns = NamespaceOf(kind);
  WEFT_ASSIGN_OR_RETURN(auto current, FindBinding(store->db(), store->branch(), name, ns));
  if (current && current->item == hash) {
    std::cout << "unchanged: " << name << " is already bound to this content (" << hash.Short()
              << ")\n";
    return {};
  }
  WEFT_TRY(StageAll(*store, {AddItem{hash}, SetName{ns, name, hash}}, {item}));
  std::cout << "staged: " << (current ? "rebind " : "bind ") << name << " to " << ItemKindName(kind)
            << " " << hash.Short() << "\n";
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
  show->add_option("name", *what, "a name or a hash prefix (8+ hex digits)")->required();
  show->add_flag("--json", *show_json, "print one JSON document");
  show->callback([&ctx, what, show_json] {
    if (auto st = Show(ctx, *what, *show_json); !st) ctx.Report(st.error());
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

  auto* put = app.add_subcommand(
      "put", "plumbing: stage TEXT verbatim as an item bound to NAME (no parsing; see README)");
  auto put_name = std::make_shared<std::string>();
  auto kind = std::make_shared<std::string>("val");
  auto text = std::make_shared<std::string>();
  auto file = std::make_shared<std::string>();
  put->add_option("name", *put_name)->required();
  put->add_option("--kind", *kind, "fn, val or type (default val)");
  put->add_option("--text", *text, "the item's text");
  put->add_option("--file", *file, "read the item's text from a file (- for stdin)");
  put->callback([&ctx, put_name, kind, text, file] {
    if (auto st = Put(ctx, *put_name, *kind, *text, *file); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
