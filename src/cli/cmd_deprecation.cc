// weft deprecate | undeprecate
#include <iostream>

#include "cli/context.h"
#include "cli/staging.h"
#include "fold/queries.h"
#include "model/names.h"

namespace weft::cli {
namespace {

Result<Binding> Bound(Store& store, const std::string& name) {
  WEFT_TRY(ValidateLocation(name));
  WEFT_ASSIGN_OR_RETURN(auto b, FindBinding(store.db(), store.branch(), name));
  if (!b) return Fail(ErrorCode::kNotFound, "{} is not bound on branch {}", name, store.branch());
  return *b;
}

Status DeprecateCmd(Context& ctx, const std::string& name, const std::string& reason,
                    const std::string& replacement) {
  if (reason.size() > 4096)
    return Fail(ErrorCode::kInvalidArgument, "a reason may be at most 4096 bytes");
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(Binding b, Bound(*store, name));
  std::optional<std::string> rep;
  if (!replacement.empty()) {
    WEFT_ASSIGN_OR_RETURN(Binding r, Bound(*store, replacement));
    rep = r.location;
  }
  WEFT_TRY(StageAll(*store, {Deprecate{b.location, reason, rep}}));
  std::cout << "staged: deprecate " << name << (rep ? " in favour of " + *rep : "") << "\n";
  return {};
}

Status UndeprecateCmd(Context& ctx, const std::string& name) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(Binding b, Bound(*store, name));
  if (!b.deprecated_reason)
    return Fail(ErrorCode::kFailedPrecondition, "{} is not deprecated", name);
  WEFT_TRY(StageAll(*store, {Undeprecate{name}}));
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
  dep->callback([&ctx, name, reason, replacement] {
    if (auto st = DeprecateCmd(ctx, *name, *reason, *replacement); !st) ctx.Report(st.error());
  });

  auto* undep = app.add_subcommand("undeprecate", "stage clearing a deprecation");
  auto undep_name = std::make_shared<std::string>();
  undep->add_option("name", *undep_name)->required();
  undep->callback([&ctx, undep_name] {
    if (auto st = UndeprecateCmd(ctx, *undep_name); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
