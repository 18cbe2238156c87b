// weft log | commit | discard
#include <iostream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "cli/text.h"
#include "workspace/conflicts.h"
#include "workspace/history.h"
#include "workspace/undo.h"

namespace weft::cli {
namespace {

std::string OpSummary(const std::vector<Op>& ops) {
  std::string out;
  for (std::size_t i = 0; i < ops.size() && i < 3; ++i) out += (i ? "; " : "") + DescribeOp(ops[i]);
  if (ops.size() > 3) out += fmt::format("; … {} more", ops.size() - 3);
  return out;
}

Status Log(Context& ctx, int limit, bool json, const std::string& name,
           const workspace::LogFilter& filter) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  std::vector<workspace::LogLine> entries;
  std::vector<ConflictInfo> races;
  if (name.empty()) {
    WEFT_ASSIGN_OR_RETURN(entries, workspace::RecentLog(*store, limit, filter));
  } else {
    WEFT_ASSIGN_OR_RETURN(auto named, workspace::LogOfName(*store, name));
    entries = std::move(named.changes);
    if (entries.size() > static_cast<std::size_t>(limit)) entries.resize(limit);
    races = std::move(named.races);
  }
  if (json) {
    PrintJson(name.empty() ? workspace::LogJson(*store, entries)
                           : workspace::NameLogJson(*store, name, entries, races));
    return {};
  }
  ctx.Page();
  if (entries.empty()) std::cout << "no changes yet\n";
  for (const auto& e : entries) {
    std::cout << Paint(ctx.color, Color::kYellow, e.hash.Short()) << "  "
              << LocalTime(e.change.hlc.millis()) << "  " << e.author << "  [" << e.change.branch
              << "]  " << e.change.message << "\n"
              << "          " << OpSummary(e.change.ops) << "\n";
  }
  for (const auto& r : races) {
    std::cout << Paint(ctx.color, Color::kRed, "race " + r.id.Short()) << " on " << SlotName(r.slot)
              << " " << r.location << ": " << r.candidates.size() << " concurrent edits, kept "
              << r.winner.Short() << "; " << workspace::StateLabel(r)
              << (r.acked ? " (acked here)" : "") << "\n";
  }
  return {};
}

Status Commit(Context& ctx, const std::string& message, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, workspace::CommitStaged(*store, message));
  if (json) {
    PrintJson(WriteJson(*store, &c));
    return {};
  }
  std::cout << "committed " << c.hash.Short() << " on " << c.change.branch << ": "
            << c.change.ops.size() << " op" << (c.change.ops.size() == 1 ? "" : "s") << "\n";
  return {};
}

Status Discard(Context& ctx, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  // Not decoded: a damaged staged op must be discardable too.
  WEFT_ASSIGN_OR_RETURN(std::int64_t dropped, workspace::DiscardStaged(*store));
  if (json) {
    nlohmann::json out = WriteJson(*store, nullptr);
    out["discarded"] = dropped;
    PrintJson(out);
    return {};
  }
  std::cout << "discarded " << dropped << " staged op" << (dropped == 1 ? "" : "s") << "\n";
  return {};
}

}  // namespace

void RegisterHistoryCommands(CLI::App& app, Context& ctx) {
  auto* log = app.add_subcommand("log", "recent changes, newest first (or one name's history)");
  auto limit = std::make_shared<int>(20);
  auto log_json = std::make_shared<bool>(false);
  auto log_name = std::make_shared<std::string>();
  log->add_option("name", *log_name, "only the changes that edited this name, and the races on it");
  log->add_option("-n", *limit, "how many changes to show (default 20)")
      ->check(CLI::Range(1, 1'000'000));
  log->add_flag("--json", *log_json, "print one JSON document");
  auto filter = std::make_shared<workspace::LogFilter>();
  auto* branch =
      log->add_option("--branch", filter->branch, "only the changes made on this branch");
  auto* instance =
      log->add_option("--instance", filter->instance, "only the changes this instance made");
  branch->excludes(log->get_option("name"));
  instance->excludes(log->get_option("name"));
  log->callback([&ctx, limit, log_json, log_name, filter] {
    if (auto st = Log(ctx, *limit, *log_json, *log_name, *filter); !st) ctx.Report(st.error());
  });

  auto* commit = app.add_subcommand("commit", "turn the staged ops into one change");
  auto message = std::make_shared<std::string>();
  auto commit_json = std::make_shared<bool>(false);
  commit->add_option("-m,--message", *message, "what the change does")->required();
  commit->add_flag("--json", *commit_json, "print the change it committed as one JSON document");
  commit->callback([&ctx, message, commit_json] {
    if (auto st = Commit(ctx, *message, *commit_json); !st) ctx.Report(st.error());
  });

  auto* undo = app.add_subcommand(
      "undo", "a new change restoring what this instance's last change on the branch replaced");
  auto undo_json = std::make_shared<bool>(false);
  undo->add_flag("--json", *undo_json, "print the change it committed as one JSON document");
  undo->callback([&ctx, undo_json] {
    auto store = ctx.Open();
    if (!store) return;
    auto r = workspace::UndoLast(*store);
    if (!r) return ctx.Report(r.error());
    if (*undo_json) {
      nlohmann::json out = WriteJson(*store, &r->change);
      out["undone"] = r->undone.Hex();
      out["undone_message"] = r->undone_message;
      out["restored"] = r->names;
      return PrintJson(out);
    }
    std::cout << "undid " << r->undone.Short() << " (\"" << r->undone_message << "\") with change "
              << r->change.hash.Short() << "; it reaches peers on the next sync\n";
    for (const auto& n : r->names) std::cout << "  restored " << n << "\n";
  });

  auto* discard = app.add_subcommand("discard", "drop the staged ops of the current branch");
  auto discard_json = AddWriteJsonFlag(*discard);
  discard->callback([&ctx, discard_json] {
    if (auto st = Discard(ctx, *discard_json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
