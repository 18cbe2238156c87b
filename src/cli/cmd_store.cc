// weft init | status | rebuild
#include <algorithm>
#include <iostream>

#include "cli/context.h"
#include "cli/review.h"
#include "cli/staging.h"
#include "fold/conflict_queries.h"
#include "fold/digest.h"
#include "fold/ledger.h"
#include "fold/queries.h"
#include "fold/staging.h"
#include "store/change_log.h"
#include "store/peers.h"
#include "store/schema.h"
#include "store/wip.h"

namespace weft::cli {
namespace {

void Init(Context& ctx, const std::string& name) {
  auto dir = ctx.StoreDir();
  if (!dir) return ctx.Report(dir.error());
  auto store = Store::Init(*dir, name.empty() ? HostName() : name);
  if (!store) return ctx.Report(store.error());
  std::cout << "initialized weft store '" << (*store)->instance_name() << "' at " << (*store)->dir()
            << " (Release " << kRelease << ", branch main)\n";
}

Status Status_(Context& ctx, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  Db& db = store->db();
  WEFT_ASSIGN_OR_RETURN(std::int64_t changes, CountChanges(db));
  WEFT_ASSIGN_OR_RETURN(std::int64_t folded, CountFolded(db));
  WEFT_ASSIGN_OR_RETURN(std::int64_t pending, CountPending(db));
  WEFT_ASSIGN_OR_RETURN(std::int64_t staged_count, CountStaged(db, store->branch()));
  // Status still answers when a staged op is damaged; it says so.
  std::vector<std::string> stale_names;
  std::optional<std::string> damaged;
  if (auto staged = LoadStagedOps(db, store->branch()); staged) {
    WEFT_ASSIGN_OR_RETURN(auto stale, StaleStagedEdits(db, store->branch(), *staged));
    for (const auto& e : stale) stale_names.push_back(e.location);
  } else {
    damaged = staged.error().message();
  }
  WEFT_ASSIGN_OR_RETURN(auto heads, LogHeads(db));
  WEFT_ASSIGN_OR_RETURN(auto branch_heads, BranchHeads(db, store->branch()));
  WEFT_ASSIGN_OR_RETURN(auto conflicts, ListConflicts(db, store->branch()));
  const auto awaiting = std::count_if(conflicts.begin(), conflicts.end(),
                                      [](const auto& c) { return c.AwaitingReview(); });
  WEFT_ASSIGN_OR_RETURN(auto skewed, ClocksAhead(*store, SystemMillis()));
  if (json) {
    nlohmann::json ahead = nlohmann::json::array();
    for (const auto& s : skewed)
      ahead.push_back({{"instance", s.instance}, {"minutes", s.minutes}});
    PrintJson({{"store", store->dir()},
               {"release", kRelease},
               {"instance", store->instance_name()},
               {"actor", store->actor().Hex()},
               {"branch", store->branch()},
               {"changes", changes},
               {"folded", folded},
               {"pending", pending},
               {"staged", staged_count},
               {"staged_overtaken", stale_names},
               {"heads", HexList(heads)},
               {"branch_heads", HexList(branch_heads)},
               {"conflicts_awaiting_review", awaiting},
               {"clocks_ahead", ahead}});
    return {};
  }
  std::cout << "store:    " << store->dir() << "\n"
            << "release:  " << kRelease << "\n"
            << "instance: " << store->instance_name() << " (actor "
            << store->actor().Hex().substr(0, 8) << ")\n"
            << "branch:   " << store->branch() << "\n"
            << "changes:  " << changes << " in the log, " << folded << " folded";
  if (pending > 0) std::cout << ", " << pending << " waiting for missing deps";
  std::cout << "\n"
            << "staged:   " << staged_count << " op" << (staged_count == 1 ? "" : "s") << "\n"
            << "heads:    " << ShortList(heads) << "\n"
            << "review:   " << awaiting << (awaiting == 1 ? " conflict" : " conflicts")
            << " awaiting review" << (awaiting > 0 ? " (run `weft conflicts`)" : "") << "\n";
  for (const auto& s : skewed) {
    std::cerr << "warning: " << s.instance << " stamps its changes " << s.minutes
              << " minutes ahead of this machine's clock; its edits win races until real time "
                 "catches up\n";
  }
  if (!stale_names.empty()) std::cerr << StaleWarning(stale_names) << "\n";
  if (damaged) std::cerr << "warning: " << *damaged << "\n";
  if (changes != folded)
    std::cerr << "warning: projections are behind the log; run `weft rebuild`\n";
  return {};
}

Status Rebuild(Context& ctx, bool json) {
  auto store = ctx.Open();
  if (!store) return {};
  Ledger ledger(*store);
  WEFT_TRY(ledger.Rebuild());
  if (ledger.repaired_columns() > 0) {
    std::cerr << "weft: rewrote the index columns of " << ledger.repaired_columns() << " change"
              << (ledger.repaired_columns() == 1 ? "" : "s")
              << " that disagreed with their verified bytes\n";
  }
  WEFT_ASSIGN_OR_RETURN(std::int64_t folded, CountFolded(store->db()));
  WEFT_ASSIGN_OR_RETURN(Digest digest, ProjectionDigest(store->db()));
  if (json) {
    PrintJson({{"folded", folded}, {"digest", DigestToHex(digest)}});
  } else {
    std::cout << "rebuilt projections from " << folded << " changes (digest "
              << DigestToHex(digest).substr(0, 16) << ")\n";
  }
  return {};
}

}  // namespace

void RegisterStoreCommands(CLI::App& app, Context& ctx) {
  auto* init = app.add_subcommand("init", "create a new store");
  auto name = std::make_shared<std::string>();
  init->add_option("--name", *name, "instance name shown to peers (default: host name)");
  init->callback([&ctx, name] { Init(ctx, *name); });

  auto* status = app.add_subcommand("status", "store, branch, log and staging summary");
  auto status_json = std::make_shared<bool>(false);
  status->add_flag("--json", *status_json, "print one JSON document");
  status->callback([&ctx, status_json] {
    if (auto st = Status_(ctx, *status_json); !st) ctx.Report(st.error());
  });

  auto* rebuild = app.add_subcommand("rebuild", "drop every projection and re-fold the log");
  auto rebuild_json = std::make_shared<bool>(false);
  rebuild->add_flag("--json", *rebuild_json, "print one JSON document");
  rebuild->callback([&ctx, rebuild_json] {
    if (auto st = Rebuild(ctx, *rebuild_json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
