// weft find QUERY [--source] [-n N]
#include <iostream>

#include "cli/context.h"
#include "cli/text.h"
#include "model/names.h"
#include "workspace/find.h"

namespace weft::cli {
namespace {

Status Find(Context& ctx, const std::string& query, bool source, std::size_t limit, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto found, workspace::FindNames(*store, query, source, limit));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& f : found) out.push_back(workspace::FoundJson(f));
    PrintJson(out);
    return {};
  }
  ctx.Page();
  if (found.empty()) {
    std::cout << "nothing matches " << query << (source ? " in any source" : "") << "\n";
    return {};
  }
  for (const auto& f : found) {
    std::cout << fmt::format("{:<40} {}  {}\n", f.binding.location,
                             Paint(ctx.color, Color::kYellow, f.binding.item.Short()),
                             source ? f.line : f.why);
  }
  return {};
}

}  // namespace

void RegisterFindCommand(CLI::App& app, Context& ctx) {
  auto* find = app.add_subcommand("find", "find names by part of the name, or in the source");
  auto query = std::make_shared<std::string>();
  auto source = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  auto limit = std::make_shared<std::size_t>(20);
  find->add_option("query", *query, "part of a name, its letters in order, or (--source) text")
      ->required();
  find->add_flag("--source", *source, "search the source text of every bound item");
  find->add_option("-n,--limit", *limit, "at most this many (default 20)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1'000'000}));
  find->add_flag("--json", *json, "print one JSON document");
  find->callback([&ctx, query, source, limit, json] {
    if (auto st = Find(ctx, *query, *source, *limit, *json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
