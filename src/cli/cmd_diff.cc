// weft diff [NAME…]: what the staged ops would change, name by name, with a line
// diff of the source.
#include <iostream>

#include "cli/context.h"
#include "workspace/staged_view.h"

namespace weft::cli {
namespace {

std::string ShortOr(const std::optional<ItemHash>& h, const char* none) {
  return h ? "#" + h->Short() : std::string(none);
}

Status Diff(Context& ctx, const std::vector<std::string>& names, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto diffs, workspace::DiffStaged(*store, names));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : diffs) {
      out.push_back({{"location", d.edit.location},
                     {"namespace", NamespaceName(d.edit.ns)},
                     {"before", d.edit.before ? nlohmann::json(d.edit.before->Hex()) : nullptr},
                     {"after", d.edit.after ? nlohmann::json(d.edit.after->Hex()) : nullptr},
                     {"repointed", d.edit.repointed},
                     {"before_source", d.before_source},
                     {"after_source", d.after_source},
                     {"lines", d.lines}});
    }
    PrintJson(out);
    return {};
  }
  if (diffs.empty()) {
    std::cout << "nothing staged" << (names.empty() ? "" : " for those names") << "\n";
    return {};
  }
  for (const auto& d : diffs) {
    const char mark = !d.edit.before ? '+' : (!d.edit.after ? '-' : '~');
    std::cout << mark << " " << d.edit.location << "  " << ShortOr(d.edit.before, "(new)") << " -> "
              << ShortOr(d.edit.after, "(unbound)")
              << (d.edit.repointed ? "  (re-pointed: a name it uses changed)" : "") << "\n";
    for (const auto& line : d.lines) std::cout << "    " << line << "\n";
  }
  std::cout << diffs.size() << " name" << (diffs.size() == 1 ? "" : "s")
            << " staged; `weft commit -m ...` records them, `weft discard` drops them\n";
  return {};
}

}  // namespace

void RegisterDiffCommand(CLI::App& app, Context& ctx) {
  auto* diff = app.add_subcommand("diff", "what the staged edits change: names, hashes, source");
  auto names = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  diff->add_option("names", *names, "only these names (default: every staged name)");
  diff->add_flag("--json", *json, "print one JSON document");
  diff->callback([&ctx, names, json] {
    if (auto st = Diff(ctx, *names, *json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
