// weft fsck [--repair] [--json]: the store checked from its bytes up.
#include <iostream>

#include "cli/context.h"
#include "workspace/fsck.h"

namespace weft::cli {
namespace {

nlohmann::json ToJson(const FsckReport& r) {
  nlohmann::json findings = nlohmann::json::array();
  for (const auto& f : r.findings)
    findings.push_back({{"what", f.what}, {"hash", f.hash}, {"detail", f.detail}});
  return {{"changes", r.changes},
          {"blobs", r.blobs},
          {"findings", findings},
          {"quarantined", r.quarantined},
          {"parked", r.parked},
          {"refolded", r.refolded},
          {"awaiting_refetch", r.awaiting_refetch}};
}

Status Fsck(Context& ctx, bool repair, bool json) {
  auto store = ctx.Open(Store::Access::kReadWrite);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(FsckReport r, workspace::Fsck(*store, repair));
  ctx.exit_code = r.findings.empty() ? kExitOk : kExitStore;
  if (json) {
    PrintJson(ToJson(r));
    return {};
  }
  for (const auto& q : r.quarantined) std::cout << "set aside (quarantined) " << q << "\n";
  if (r.parked > 0) {
    std::cout << "put " << r.parked << " change" << (r.parked == 1 ? "" : "s")
              << " built on a set-aside change back to wait for it\n";
  }
  if (r.refolded) std::cout << "re-folded the projections\n";
  for (const auto& f : r.findings) {
    std::cout << f.what << (f.hash.empty() ? "" : " " + f.hash) << ": " << f.detail << "\n";
  }
  std::cout << "checked " << r.changes << " change" << (r.changes == 1 ? "" : "s") << " and "
            << r.blobs << " blob" << (r.blobs == 1 ? "" : "s") << ": ";
  if (r.findings.empty()) {
    std::cout << "no problems";
  } else {
    std::cout << r.findings.size() << " problem" << (r.findings.size() == 1 ? "" : "s");
    if (!repair) std::cout << "; `weft fsck --repair` repairs what it can";
  }
  std::cout << "\n";
  if (r.awaiting_refetch > 0) {
    std::cout << r.awaiting_refetch << " set-aside row" << (r.awaiting_refetch == 1 ? "" : "s")
              << " await a sync with a peer that holds "
              << (r.awaiting_refetch == 1 ? "it" : "them") << "\n";
  }
  return {};
}

}  // namespace

void RegisterFsckCommands(CLI::App& app, Context& ctx) {
  auto* fsck = app.add_subcommand(
      "fsck", "check every change, blob, reference and projection; --repair fixes what it can");
  auto repair = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  fsck->add_flag("--repair", *repair,
                 "re-fold the projections; set damaged changes and blobs aside (never deleted) "
                 "so a sync fetches them again");
  fsck->add_flag("--json", *json, "print one JSON document");
  fsck->callback([&ctx, repair, json] {
    if (auto st = Fsck(ctx, *repair, *json); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
