// weft peer add|ls|rm · weft sync [PEER|PATH] [--pull] [--confirm] · weft sync check PEER
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "cli/context.h"
#include "cli/json_out.h"
#include "cli/text.h"
#include "core/release.h"
#include "workspace/sync.h"
#include "workspace/sync_events.h"

namespace weft::cli {
namespace {

struct SyncOptions {
  bool pull = false;
  bool confirm = false;
  double timeout = 30;
  bool json = false;
};

// One session with one target. Returns the exit code for it.
Result<int> SyncOne(Store& store, const workspace::Target& t, const SyncOptions& opts,
                    nlohmann::json& json_out) {
  workspace::SyncRequest request;
  request.pull = opts.pull;
  request.timeout_s = opts.timeout;
  request.trigger = "cli";
  auto synced = workspace::SyncWithPeer(store, t, request);
  WEFT_ASSIGN_OR_RETURN(workspace::SyncReport r, std::move(synced));
  const net::SessionReport& s = r.session;
  int code = kExitOk;
  std::string verdict;
  switch (r.verdict) {
    case workspace::SyncVerdict::kInSync:
      verdict = fmt::format("in sync with {} (heads {})", t.label,
                            ShortList(r.heads, "empty") + (r.heads.empty() ? "" : "…"));
      break;
    case workspace::SyncVerdict::kPulled:
      verdict = fmt::format(
          "pulled everything from {}; it lacks {} of our heads (a pull does not write to it)",
          t.label, s.missing_there.size());
      break;
    case workspace::SyncVerdict::kRaced:
      verdict = fmt::format(
          "synced with {}; {} committed during the sync and goes with the next one", t.label,
          s.missing_here.empty() ? "a change here was"
                                 : fmt::format("a change on {} was", t.label));
      break;
    case workspace::SyncVerdict::kIncomplete:
      verdict = fmt::format("not in sync with {}: {}", t.label, r.reason);
      code = kExitNotConfirmed;
      break;
  }
  if (opts.confirm && !s.confirmed) {
    verdict += fmt::format("; not confirmed: {} does not hold all of our heads", t.label);
    code = kExitNotConfirmed;
  }
  for (const auto& n : s.notices) std::cerr << "weft: " << n << "\n";
  for (const auto& p : s.problems) std::cerr << "warning: " << p << "\n";
  if (!r.staged_overtaken.empty()) std::cerr << StaleWarning(r.staged_overtaken) << "\n";
  if (opts.json) {
    json_out.push_back(workspace::SyncJson(t.label, r));
    return code;
  }
  if (!s.received.empty()) {
    std::cout << "received " << fmt::format("{}", fmt::group_digits(s.received.size())) << " change"
              << (s.received.size() == 1 ? "" : "s") << " from " << t.label
              << (r.arrived.empty() ? "" : ": " + Summarize(r.arrived)) << "\n";
  }
  if (s.sent != 0) {
    std::cout << "sent " << fmt::format("{}", fmt::group_digits(s.sent)) << " change"
              << (s.sent == 1 ? "" : "s") << " to " << t.label << "\n";
  }
  // A failed sync is an error: its one line goes to stderr, like every error.
  (code == kExitOk ? std::cout : std::cerr) << (code == kExitOk ? "" : "weft: ") << verdict << "\n";
  if (const int n = r.conflicts_settled; n > 0) {
    std::cout << n << (n == 1 ? " conflict" : " conflicts")
              << " settled on another instance, see `weft conflicts --all`\n";
  }
  if (const int n = r.conflicts_auto_resolved; n > 0) {
    std::cout << n << (n == 1 ? " conflict" : " conflicts")
              << " auto-resolved, run `weft conflicts`\n";
  }
  return code;
}

Status Sync(Context& ctx, const std::string& what, const SyncOptions& opts) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto targets, workspace::ResolveTargets(*store, what));
  nlohmann::json out = nlohmann::json::array();
  int worst = kExitOk;
  for (const auto& t : targets) {
    auto code = SyncOne(*store, t, opts, out);
    if (!code) {
      if (targets.size() == 1 && !opts.json) return Fail(code.error());
      std::cerr << "weft: " << t.label << ": " << code.error().message() << "\n";
      worst = std::max(worst, ExitCodeFor(code.error().code()));
      out.push_back({{"peer", t.label}, {"in_sync", false}, {"error", code.error().message()}});
      continue;
    }
    worst = std::max(worst, *code);
  }
  if (opts.json) {
    // One shape for one peer and for every peer (docs/json.md).
    bool all = true;
    for (const auto& one : out) all = all && one["in_sync"].get<bool>();
    PrintJson({{"in_sync", all}, {"peers", out}});
  }
  ctx.exit_code = worst;
  return {};
}

Status Check(Context& ctx, const std::string& what, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto targets, workspace::ResolveTargets(*store, what));
  const workspace::Target& t = targets.front();
  WEFT_ASSIGN_OR_RETURN(workspace::CheckReport r, workspace::CheckPeer(*store, t));
  // A hello decodes only under our Release; a peer on another one is refused first.
  std::string their_release = r.hello ? std::to_string(kRelease) : "unknown";
  std::string reason;
  int code = kExitOk;
  if (r.impossible) {
    reason = r.impossible->message();
    code = ExitCodeFor(r.impossible->code());
    // The reason names the peer's Release; a hello of another Release cannot be read.
  }
  const bool possible = code == kExitOk;
  if (json) {
    nlohmann::json out = workspace::CheckJson(t.label, r);
    PrintJson(out);
  } else if (possible) {
    // The peer's own name, when it is not the name we gave it.
    const std::string who = r.hello->instance == t.label
                                ? t.label
                                : fmt::format("{} (instance {})", t.label, r.hello->instance);
    std::cout << who << ": Release " << their_release << ", ours " << kRelease
              << "; sync is possible; " << r.to_pull << " to pull / " << r.to_push << " to push\n";
  } else {
    std::cout << t.label << ": sync is not possible: " << reason << "\n";
  }
  ctx.exit_code = code;
  return {};
}

// weft sync events: the newest cycles, as a table, newest last.
Status Events(Context& ctx, const std::string& peer, std::int64_t n, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto events, workspace::SyncEvents(*store, peer, n));
  if (json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : events) out.push_back(workspace::SyncEventJson(e));
    PrintJson(out);
    return {};
  }
  if (events.empty()) {
    std::cout << "no sync events" << (peer.empty() ? "" : " with " + peer) << "\n";
    return {};
  }
  std::cout << fmt::format("{:<24} {:<12} {:<7} {:<5} {:>6} {:>6} {:>4} {:>8}  {}\n", "time",
                           "peer", "trigger", "dir", "pulled", "pushed", "race", "ms",
                           "names / error");
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    const SyncEvent& e = *it;
    std::string last = e.error.empty() ? e.names : "error: " + e.error;
    if (last.size() > 100) last = last.substr(0, 97) + "...";
    std::cout << fmt::format("{:<24} {:<12} {:<7} {:<5} {:>6} {:>6} {:>4} {:>8}  {}\n",
                             IsoFromMillis(static_cast<std::uint64_t>(e.at_ms), true), e.peer,
                             e.trigger, e.direction, e.pulled, e.pushed, e.conflicts, e.duration_ms,
                             last);
  }
  return {};
}

}  // namespace

void RegisterSyncCommands(CLI::App& app, Context& ctx) {
  auto* peer = app.add_subcommand("peer", "register, list and remove peers");
  peer->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto address = std::make_shared<std::string>();
  auto device = std::make_shared<std::string>();
  auto* add = peer->add_subcommand(
      "add", "register a peer by its store directory or URL, and its device id (--id)");
  add->add_option("name", *name)->required();
  add->add_option("address", *address,
                  "the peer's store directory or http(s)://HOST:PORT (none: it only calls in)");
  add->add_option("--id", *device, "the device id `weft id` prints on the peer, or tailnet:LOGIN");
  auto tenant = std::make_shared<std::string>();
  auto token_file = std::make_shared<std::string>();
  auto* tenant_opt =
      add->add_option("--tenant", *tenant, "the peer is a hub: the tenant whose log to share");
  add->add_option("--token-file", *token_file,
                  "the hub: a file (mode 600) holding the token `weft hub token create` printed")
      ->needs(tenant_opt);
  tenant_opt->needs("--token-file");
  auto add_json = AddWriteJsonFlag(*add);
  add->callback([&ctx, name, address, device, tenant, token_file, add_json] {
    auto st = [&]() -> Status {
      auto store = ctx.Open();
      if (!store) return {};
      std::optional<HubLink> hub;
      if (!tenant->empty()) hub = HubLink{*tenant, *token_file};
      WEFT_ASSIGN_OR_RETURN(std::string kept,
                            workspace::RegisterPeer(*store, *name, *address, *device, hub));
      if (*add_json) {
        // Peers are local state: no change, nothing staged.
        nlohmann::json out = WriteJson(*store, nullptr);
        out["peer"] = {
            {"name", *name},
            {"address", kept.empty() ? nlohmann::json(nullptr) : nlohmann::json(kept)},
            {"device_id", device->empty() ? nlohmann::json(nullptr) : nlohmann::json(*device)},
            {"tenant", tenant->empty() ? nlohmann::json(nullptr) : nlohmann::json(*tenant)}};
        PrintJson(out);
        return {};
      }
      std::cout << "added peer " << *name << (kept.empty() ? "" : " at " + kept)
                << (device->empty() ? "" : " (device " + *device + ")")
                << (tenant->empty() ? "" : " (a hub, tenant " + *tenant + ")") << "\n";
      if (kept.starts_with("https://") && device->empty() && tenant->empty()) {
        std::cout << "no --id: " << *name
                  << "'s certificate will be checked against this system's certificate "
                     "authorities (a server behind tailscale serve)\n";
      }
      return {};
    }();
    if (!st) ctx.Report(st.error());
  });
  auto* ls = peer->add_subcommand("ls", "list peers");
  auto ls_json = std::make_shared<bool>(false);
  ls->add_flag("--json", *ls_json, "print one JSON document");
  ls->callback([&ctx, ls_json] {
    auto store = ctx.Open(Store::Access::kReadOnly);
    if (!store) return;
    auto peers = workspace::Peers(*store);
    if (!peers) return ctx.Report(peers.error());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : *peers) out.push_back(workspace::PeerJson(p));
    if (*ls_json) return PrintJson(out);
    if (peers->empty()) std::cout << "no peers\n";
    for (const auto& p : *peers) {
      std::cout << fmt::format("{:<16} {}{}\n", p.name,
                               p.address.empty() ? "(calls in)" : p.address,
                               p.device_id.empty() ? "" : "  " + p.device_id);
    }
  });
  auto* rm = peer->add_subcommand("rm", "forget a peer");
  auto rm_name = std::make_shared<std::string>();
  rm->add_option("name", *rm_name)->required();
  auto rm_json = AddWriteJsonFlag(*rm);
  rm->callback([&ctx, rm_name, rm_json] {
    auto store = ctx.Open();
    if (!store) return;
    auto st = workspace::ForgetPeer(*store, *rm_name);
    if (!st) return ctx.Report(st.error());
    if (*rm_json) {
      nlohmann::json out = WriteJson(*store, nullptr);
      out["peer"] = {{"name", *rm_name}};
      return PrintJson(out);
    }
    std::cout << "removed peer " << *rm_name << "\n";
  });

  auto* sync =
      app.add_subcommand("sync", "sync with a peer (or every peer): its store on disk or its URL");
  auto target = std::make_shared<std::string>();
  auto opts = std::make_shared<SyncOptions>();
  sync->add_option("peer", *target,
                   "a registered peer, a store directory or a URL (default: every peer)");
  sync->add_flag("--pull", opts->pull, "only receive; the peer's store is opened read-only");
  sync->add_flag("--confirm", opts->confirm, "succeed only when the peer holds all of our heads");
  sync->add_option("--timeout", opts->timeout, "give up after this many seconds (default 30)")
      ->check(CLI::PositiveNumber);
  sync->add_flag("--json", opts->json, "print one JSON document");
  auto* check = sync->add_subcommand("check", "compare Releases and count what would move");
  auto check_peer = std::make_shared<std::string>();
  auto check_json = std::make_shared<bool>(false);
  check->add_option("peer", *check_peer)->required();
  check->add_flag("--json", *check_json, "print one JSON document");
  check->callback([&ctx, check_peer, check_json] {
    if (auto st = Check(ctx, *check_peer, *check_json); !st) ctx.Report(st.error());
  });
  auto* events = sync->add_subcommand("events", "the daemon's and each sync's cycles, per peer");
  auto events_peer = std::make_shared<std::string>();
  auto events_n = std::make_shared<std::int64_t>(20);
  auto events_json = std::make_shared<bool>(false);
  events->add_option("--peer", *events_peer, "only this peer's");
  events->add_option("-n", *events_n, "how many, newest (default 20)")
      ->check(CLI::Range(std::int64_t{1}, kMaxSyncEvents));
  events->add_flag("--json", *events_json, "print one JSON document (newest first)");
  events->callback([&ctx, events_peer, events_n, events_json] {
    if (auto st = Events(ctx, *events_peer, *events_n, *events_json); !st) ctx.Report(st.error());
  });
  sync->callback([&ctx, check, events, target, opts] {
    if (check->parsed() || events->parsed()) return;
    if (auto st = Sync(ctx, *target, *opts); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
