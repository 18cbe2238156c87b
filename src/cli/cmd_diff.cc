// weft diff [NAME…]: what the staged ops would change, name by name, with a line
// diff of the source. weft diff CHANGE: the same for what a committed change did.
#include <iostream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "cli/text.h"
#include "core/hash.h"
#include "workspace/change_effect.h"
#include "workspace/staged_view.h"

namespace weft::cli {
namespace {

std::string ShortOr(const std::optional<ItemHash>& h, const char* none) {
  return h ? "#" + h->Short() : std::string(none);
}

nlohmann::json NamesJson(const std::vector<workspace::NameDiff>& diffs) {
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
  return out;
}

void PrintNames(const std::vector<workspace::NameDiff>& diffs, bool color) {
  for (const auto& d : diffs) {
    const char mark = !d.edit.before ? '+' : (!d.edit.after ? '-' : '~');
    std::cout << Paint(color, Color::kBold, std::string(1, mark) + " " + d.edit.location) << "  "
              << ShortOr(d.edit.before, "(new)") << " -> " << ShortOr(d.edit.after, "(unbound)")
              << (d.edit.repointed ? "  (re-pointed: a name it uses changed)" : "") << "\n";
    for (const auto& line : d.lines) {
      const Color c = line.starts_with("+") ? Color::kGreen : Color::kRed;
      std::cout << "    " << (line.starts_with(" ") ? line : Paint(color, c, line)) << "\n";
    }
  }
}

Status DiffStaged(Context& ctx, const std::vector<std::string>& names, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto diffs, workspace::DiffStaged(*store, names));
  if (json) {
    PrintJson({{"change", nullptr}, {"names", NamesJson(diffs)}});
    return {};
  }
  ctx.Page();
  if (diffs.empty()) {
    std::cout << "nothing staged" << (names.empty() ? "" : " for those names") << "\n";
    return {};
  }
  PrintNames(diffs, ctx.color);
  std::cout << diffs.size() << " name" << (diffs.size() == 1 ? "" : "s")
            << " staged; `weft commit -m ...` records them, `weft discard` drops them\n";
  return {};
}

Status DiffChange(Context& ctx, const std::string& hash, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::ChangeDiff d, workspace::DiffChange(*store, hash));
  const Change& c = d.change.change;
  if (json) {
    PrintJson({{"change", ChangeJson(*store, d.change.hash, c)}, {"names", NamesJson(d.names)}});
    return {};
  }
  ctx.Page();
  std::cout << "change " << Paint(ctx.color, Color::kYellow, d.change.hash.Short()) << " by "
            << d.author << ", " << LocalTime(c.hlc.millis()) << ", on " << c.branch << ": "
            << c.message << "\n";
  PrintNames(d.names, ctx.color);
  // Ops that bind no name (deprecations, branch and conflict ops) in their own words.
  for (const Op& op : c.ops) {
    if (std::holds_alternative<AddItem>(op) || std::holds_alternative<SetName>(op) ||
        std::holds_alternative<Unname>(op) || std::holds_alternative<Repoint>(op))
      continue;
    std::cout << "  " << DescribeOp(op) << "\n";
  }
  if (d.names.empty()) std::cout << "it bound or unbound no name\n";
  return {};
}

// A single argument that is a hash prefix (names always hold a dot) is a change.
Status Diff(Context& ctx, const std::vector<std::string>& args, bool json) {
  if (args.size() == 1 && IsHexPrefix(WithoutHashMark(args[0])))
    return DiffChange(ctx, args[0], json);
  return DiffStaged(ctx, args, json);
}

}  // namespace

void RegisterDiffCommand(CLI::App& app, Context& ctx) {
  auto* diff = app.add_subcommand(
      "diff", "what the staged edits change (or what CHANGE did): names, hashes, source");
  auto names = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  diff->add_option("names", *names,
                   "only these names (default: every staged name), or one change's hash");
  diff->add_flag("--json", *json, "print one JSON document");
  diff->callback([&ctx, names, json] {
    if (auto st = Diff(ctx, *names, *json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
