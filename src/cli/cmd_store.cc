// weft init | status | rebuild
#include <iostream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "cli/text.h"
#include "fold/digest.h"
#include "store/schema.h"
#include "workspace/instance.h"
#include "workspace/staged_view.h"
#include "workspace/status.h"

namespace weft::cli {
namespace {

void Init(Context& ctx, const std::string& name, bool json) {
  auto dir = ctx.StoreDir();
  if (!dir) return ctx.Report(dir.error());
  auto store = workspace::CreateInstance(*dir, name.empty() ? HostName() : name);
  if (!store) return ctx.Report(store.error());
  if (json) {
    nlohmann::json out = WriteJson(**store, nullptr);
    out["store"] = (*store)->dir();
    out["instance"] = (*store)->instance_name();
    out["actor"] = (*store)->actor().Hex();
    out["release"] = kRelease;
    out["branch"] = (*store)->branch();
    return PrintJson(out);
  }
  std::cout << "initialized weft store '" << (*store)->instance_name() << "' at " << (*store)->dir()
            << " (Release " << kRelease << ", branch main)\n";
}

Status Status_(Context& ctx, bool json, bool verbose) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::StatusReport r, workspace::GetStatus(*store));
  std::vector<Op> staged_ops;
  if (verbose && r.staged > 0 && !r.staged_damage) {
    WEFT_ASSIGN_OR_RETURN(staged_ops, workspace::StagedOps(*store));
  }
  if (json) {
    nlohmann::json doc = workspace::StatusJson(r, staged_ops);
    PrintDaemonSummary(ctx, *store, &doc);
    PrintJson(doc);
    return {};
  }
  const auto awaiting = r.conflicts_awaiting_review;
  std::cout << "store:    " << r.dir << "\n"
            << "release:  " << r.release << "\n"
            << "instance: " << r.instance << " (actor " << r.actor.Hex().substr(0, 8) << ")\n"
            << "branch:   " << r.branch << "\n"
            << "changes:  " << r.changes << " in the log, " << r.folded << " folded";
  if (r.pending > 0) std::cout << ", " << r.pending << " waiting for missing deps";
  std::cout << "\n"
            << "staged:   " << r.staged << " op" << (r.staged == 1 ? "" : "s")
            << (r.staged > 0 && !verbose ? " (`weft status -v` lists them, `weft diff` shows them)"
                                         : "")
            << "\n";
  for (const Op& op : staged_ops) std::cout << "          " << DescribeOp(op) << "\n";
  std::cout << "heads:    " << ShortList(r.heads) << "\n"
            << "review:   " << awaiting << (awaiting == 1 ? " conflict" : " conflicts")
            << " awaiting review" << (awaiting > 0 ? " (run `weft conflicts`)" : "") << "\n";
  PrintDaemonSummary(ctx, *store, nullptr);
  for (const auto& s : r.clocks_ahead) {
    std::cerr << "warning: " << s.instance << " stamps its changes " << s.minutes
              << " minutes ahead of this machine's clock; its edits win races until real time "
                 "catches up\n";
  }
  if (!r.staged_overtaken.empty()) std::cerr << StaleWarning(r.staged_overtaken) << "\n";
  if (r.staged_damage) std::cerr << "warning: " << *r.staged_damage << "\n";
  if (r.damage) std::cerr << "warning: " << *r.damage << "; run `weft fsck`\n";
  if (r.changes != r.folded)
    std::cerr << "warning: projections are behind the log; run `weft rebuild`\n";
  if (r.fsck_at_ms && r.fsck_findings > 0) {
    std::cerr << "warning: the last `weft fsck` (" << IsoFromMillis(*r.fsck_at_ms) << ") found "
              << r.fsck_findings << " problem" << (r.fsck_findings == 1 ? "" : "s")
              << "; run `weft fsck` for the list and `weft fsck --repair` to repair\n";
  }
  if (r.quarantined_missing > 0) {
    std::cerr << "warning: " << r.quarantined_missing << " damaged row"
              << (r.quarantined_missing == 1 ? " is" : "s are")
              << " set aside by `weft fsck --repair`; a sync with a peer that holds "
              << (r.quarantined_missing == 1 ? "it" : "them") << " brings "
              << (r.quarantined_missing == 1 ? "it" : "them") << " back\n";
  }
  return {};
}

Status Rebuild(Context& ctx, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(workspace::RebuildReport r, workspace::RebuildProjections(*store));
  if (r.repaired_columns > 0) {
    std::cerr << "weft: rewrote the index columns of " << r.repaired_columns << " change"
              << (r.repaired_columns == 1 ? "" : "s")
              << " that disagreed with their verified bytes\n";
  }
  if (json) {
    PrintJson({{"folded", r.folded}, {"digest", DigestToHex(r.digest)}});
  } else {
    std::cout << "rebuilt projections from " << r.folded << " changes (digest "
              << DigestToHex(r.digest).substr(0, 16) << ")\n";
  }
  return {};
}

}  // namespace

void RegisterStoreCommands(CLI::App& app, Context& ctx) {
  auto* init = app.add_subcommand("init", "create a new store");
  auto name = std::make_shared<std::string>();
  init->add_option("--name", *name, "instance name shown to peers (default: host name)");
  auto init_json = AddWriteJsonFlag(*init);
  init->callback([&ctx, name, init_json] { Init(ctx, *name, *init_json); });

  auto* status = app.add_subcommand("status", "store, branch, log and staging summary");
  auto status_json = std::make_shared<bool>(false);
  auto verbose = std::make_shared<bool>(false);
  status->add_flag("--json", *status_json, "print one JSON document");
  status->add_flag("-v,--verbose", *verbose, "list the staged ops");
  status->callback([&ctx, status_json, verbose] {
    if (auto st = Status_(ctx, *status_json, *verbose); !st) ctx.Report(st.error());
  });

  auto* rebuild = app.add_subcommand("rebuild", "drop every projection and re-fold the log");
  auto rebuild_json = std::make_shared<bool>(false);
  rebuild->add_flag("--json", *rebuild_json, "print one JSON document");
  rebuild->callback([&ctx, rebuild_json] {
    if (auto st = Rebuild(ctx, *rebuild_json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
