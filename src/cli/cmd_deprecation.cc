// weft deprecate | undeprecate
#include <iostream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "workspace/names.h"

namespace weft::cli {
namespace {

Status DeprecateCmd(Context& ctx, const std::string& name, const std::string& reason,
                    const std::string& replacement, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto ops, workspace::StageDeprecate(*store, name, reason, replacement));
  if (json) {
    PrintJson(WriteJson(*store, nullptr, ops));
    return {};
  }
  std::optional<std::string> rep;
  for (const Op& op : ops) {
    if (const auto* d = std::get_if<Deprecate>(&op)) rep = d->replacement;
  }
  std::cout << "staged: deprecate " << name << (rep ? " in favour of " + *rep : "") << "\n";
  return {};
}

Status UndeprecateCmd(Context& ctx, const std::string& name, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto ops, workspace::StageUndeprecate(*store, name));
  if (json) {
    PrintJson(WriteJson(*store, nullptr, ops));
    return {};
  }
  std::cout << "staged: undeprecate " << name << "\n";
  return {};
}

}  // namespace

void RegisterDeprecationCommands(CLI::App& app, Context& ctx) {
  auto* dep = app.add_subcommand("deprecate", "stage marking a name deprecated");
  auto name = std::make_shared<std::string>();
  auto reason = std::make_shared<std::string>();
  auto replacement = std::make_shared<std::string>();
  dep->add_option("name", *name)->required();
  dep->add_option("--reason", *reason, "why");
  dep->add_option("--replacement", *replacement, "the name to use instead");
  auto json = AddWriteJsonFlag(*dep);
  dep->callback([&ctx, name, reason, replacement, json] {
    if (auto st = DeprecateCmd(ctx, *name, *reason, *replacement, *json); !st)
      ctx.Report(st.error());
  });

  auto* undep = app.add_subcommand("undeprecate", "stage clearing a deprecation");
  auto undep_name = std::make_shared<std::string>();
  undep->add_option("name", *undep_name)->required();
  auto undep_json = AddWriteJsonFlag(*undep);
  undep->callback([&ctx, undep_name, undep_json] {
    if (auto st = UndeprecateCmd(ctx, *undep_name, *undep_json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
