// weft peer add|ls|rm · weft sync [PEER|PATH] [--pull] [--confirm] · weft sync check PEER
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <set>

#include "cli/context.h"
#include "cli/staging.h"
#include "fold/conflict_queries.h"
#include "fold/ledger.h"
#include "fold/staging.h"
#include "net/file_carrier.h"
#include "net/store_adapter.h"
#include "store/change_log.h"
#include "store/peers.h"
#include "store/schema.h"
#include "store/wip.h"

namespace weft::cli {
namespace {

struct SyncOptions {
  bool pull = false;
  bool confirm = false;
  double timeout = 30;
  bool json = false;
};

Result<std::set<ChangeHash>> AllChanges(Db& db) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT hash FROM changes"));
  WEFT_ASSIGN_OR_RETURN(auto all, CollectHashes<ChangeHash>(q));
  return std::set<ChangeHash>(all.begin(), all.end());
}

// Names bound by a set of changes, for "what arrived".
Result<std::vector<std::string>> NamesBoundBy(Db& db, const std::vector<ChangeHash>& changes) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& h : changes) {
    WEFT_ASSIGN_OR_RETURN(auto c, LoadChange(db, h));
    if (!c) continue;
    for (const Op& op : c->change.ops) {
      std::string label;
      if (const auto* s = std::get_if<SetName>(&op)) label = s->location;
      if (const auto* b = std::get_if<CreateBranch>(&op)) label = "branch " + b->name;
      if (!label.empty() && seen.insert(label).second) out.push_back(label);
    }
  }
  return out;
}

std::string Summarize(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 6; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 6) out += fmt::format(" and {} more", names.size() - 6);
  return out;
}

struct Target {
  std::string label;    // peer name, or the path
  std::string address;  // store directory
  bool registered = false;
};

Result<std::vector<Target>> Targets(Store& store, const std::string& what) {
  std::vector<Target> out;
  if (what.empty()) {
    WEFT_ASSIGN_OR_RETURN(auto peers, ListPeers(store.db()));
    if (peers.empty())
      return Fail(ErrorCode::kNotFound,
                  "no peers registered (add one with `weft peer add NAME PATH`)");
    for (auto& p : peers) out.push_back(Target{p.name, p.address, true});
    return out;
  }
  WEFT_ASSIGN_OR_RETURN(auto peer, FindPeer(store.db(), what));
  if (peer) return std::vector<Target>{Target{peer->name, peer->address, true}};
  if (std::error_code ec;
      std::filesystem::exists(std::filesystem::path(what) / kStoreFileName, ec)) {
    return std::vector<Target>{Target{what, what, false}};
  }
  return Fail(ErrorCode::kNotFound, "{} is neither a registered peer nor a weft store directory",
              what);
}

// One session with one target. Returns the exit code for it.
struct ConflictNews {
  int auto_resolved = 0;  // open now, and new or changed by the sync
  int settled = 0;        // resolved or superseded by what the sync brought
};

// Races tied to a cause (dependents re-pointed through it) count with their cause.
ConflictNews CompareConflicts(const std::map<ConflictId, std::string>& before,
                              const std::vector<ConflictInfo>& after_list) {
  ConflictNews news;
  for (const auto& c : after_list) {
    if (c.cause) continue;
    const ConflictId& id = c.id;
    const std::string& state = c.state;
    auto it = before.find(id);
    if (it != before.end() && it->second == state) continue;
    if (state == "open") {
      ++news.auto_resolved;
    } else if (it != before.end() && it->second == "open") {
      ++news.settled;
    }
  }
  return news;
}

// Opens a peer's store, saying plainly when it is not there or not usable.
Result<std::unique_ptr<Store>> OpenPeer(const Target& t, Store::Access access) {
  std::error_code ec;
  if (!std::filesystem::exists(t.address, ec)) {
    return Fail(ErrorCode::kUnavailable, "{} is not reachable: {} does not exist (is it mounted?)",
                t.label, t.address);
  }
  auto peer = Store::Open(t.address, access);
  if (peer) return peer;
  const Error& e = peer.error();
  switch (e.code()) {
    case ErrorCode::kVersionMismatch:  // its own code (exit 5) and sentence
      return Fail(ErrorCode::kVersionMismatch, "cannot sync with {}: {}", t.label, e.message());
    case ErrorCode::kNotFound:
      return Fail(ErrorCode::kUnavailable, "{} is not reachable: no weft store at {}", t.label,
                  t.address);
    default:  // damaged, foreign, busy, unreadable: the peer's copy, with its code
      return Fail(e.code(), "cannot sync with {}: {}", t.label, e.message());
  }
}

// Every hash of `heads` that `db` does not hold.
Result<std::vector<ChangeHash>> NotHeld(Db& db, const std::vector<ChangeHash>& heads) {
  std::vector<ChangeHash> out;
  for (const auto& h : heads) {
    WEFT_ASSIGN_OR_RETURN(bool has, HasChange(db, h));
    if (!has) out.push_back(h);
  }
  return out;
}

Result<int> SyncOne(Store& store, const Target& t, const SyncOptions& opts,
                    nlohmann::json& json_out) {
  WEFT_ASSIGN_OR_RETURN(
      std::unique_ptr<Store> peer,
      OpenPeer(t, opts.pull ? Store::Access::kReadOnly : Store::Access::kReadWrite));
  sync::SyncState ours;
  if (t.registered) {
    WEFT_ASSIGN_OR_RETURN(std::optional<Peer> p, FindPeer(store.db(), t.label));
    if (!p) return Fail(ErrorCode::kNotFound, "no peer named {}", t.label);
    Bytes saved = p->sync_state;
    WEFT_ASSIGN_OR_RETURN(ours, sync::DecodeState(saved));
  }
  WEFT_ASSIGN_OR_RETURN(const auto conflicts_before, ConflictStates(store.db()));
  sync::SyncState theirs;
  theirs.options.read_only = opts.pull;
  const bool tty = isatty(STDERR_FILENO) && !opts.json;
  const auto started = std::chrono::steady_clock::now();
  net::SessionOptions session;
  session.deadline = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(opts.timeout));
  session.peer_label = t.label;
  bool shown = false;
  session.progress = [&](const net::SessionReport& r) {
    if (!tty || std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) return;
    shown = true;
    std::cerr << fmt::format("\r{}: {} messages, {} received, {} sent, {:.1f} MB", t.label,
                             r.messages, r.received.size(), r.sent.size(),
                             static_cast<double>(r.bytes) / 1e6)
              << std::flush;
  };
  WEFT_ASSIGN_OR_RETURN(net::SessionReport report,
                        net::SyncStores(store, *peer, ours, theirs, session));
  if (shown) std::cerr << "\r\033[K" << std::flush;
  {
    WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store.db()));
    if (t.registered) WEFT_TRY(SavePeerState(store.db(), t.label, sync::EncodeState(ours)));
    WEFT_TRY(RememberActorName(store.db(), peer->actor(), peer->instance_name()));
    WEFT_TRY(tx.Commit());
  }
  if (!opts.pull) {
    auto noted = [&]() -> Status {
      WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(peer->db()));
      WEFT_TRY(RememberActorName(peer->db(), store.actor(), store.instance_name()));
      return tx.Commit();
    }();
    if (!noted) {
      return Fail(noted.error().code(), "the store of {}: {}", t.label, noted.error().message());
    }
  }
  // The verdict is what each side holds now, not what the session assumed.
  WEFT_ASSIGN_OR_RETURN(auto our_heads, LogHeads(store.db()));
  WEFT_ASSIGN_OR_RETURN(auto their_heads, LogHeads(peer->db()));
  WEFT_ASSIGN_OR_RETURN(auto missing_here, NotHeld(store.db(), their_heads));
  WEFT_ASSIGN_OR_RETURN(auto missing_there, NotHeld(peer->db(), our_heads));
  WEFT_ASSIGN_OR_RETURN(auto arrived, NamesBoundBy(store.db(), report.received));
  net::StoreAdapter adapter(store);
  WEFT_ASSIGN_OR_RETURN(bool confirmed, sync::PeerHasOurHeads(adapter, ours));
  confirmed = confirmed && missing_there.empty();
  WEFT_ASSIGN_OR_RETURN(const auto conflicts_after, ListConflicts(store.db(), std::nullopt));
  const ConflictNews news = CompareConflicts(conflicts_before, conflicts_after);
  WEFT_ASSIGN_OR_RETURN(auto staged, LoadStagedOps(store.db(), store.branch()));
  WEFT_ASSIGN_OR_RETURN(auto stale, StaleStagedEdits(store.db(), store.branch(), staged));
  std::vector<std::string> stale_names;
  for (const auto& e : stale) stale_names.push_back(e.location);
  const bool in_sync = missing_here.empty() && missing_there.empty();
  int code = kExitOk;
  std::string verdict;
  // Why the session ended short, when it did.
  const bool clean = report.quiet && report.problems.empty() && !report.timed_out;
  auto why = [&]() -> std::string {
    if (report.timed_out) return fmt::format("stopped at the {:g} s timeout", opts.timeout);
    if (!report.problems.empty()) return report.problems.front();
    if (report.stalled) return "the same changes were refused again";
    return "stopped after the round limit";
  };
  if (in_sync) {
    verdict = fmt::format("in sync with {} (heads {})", t.label,
                          ShortList(our_heads, "empty") + (our_heads.empty() ? "" : "…"));
  } else if (opts.pull && missing_here.empty()) {
    verdict = fmt::format(
        "pulled everything from {}; it lacks {} of our heads (a pull does not write to it)",
        t.label, missing_there.size());
  } else if (clean) {
    // Both sides ran out of things to say: what differs was committed meanwhile,
    // by another process here or there. It goes with the next sync.
    verdict = fmt::format(
        "synced with {}; {} committed during the sync and goes with the next one", t.label,
        missing_here.empty() ? "a change here was" : fmt::format("a change on {} was", t.label));
  } else {
    verdict = fmt::format("not in sync with {}: {}", t.label, why());
    code = kExitNotConfirmed;
  }
  if (opts.confirm && !confirmed) {
    verdict += fmt::format("; not confirmed: {} does not hold all of our heads", t.label);
    code = kExitNotConfirmed;
  }
  for (const auto& n : report.notices) std::cerr << "weft: " << n << "\n";
  for (const auto& p : report.problems) std::cerr << "warning: " << p << "\n";
  if (!stale_names.empty()) std::cerr << StaleWarning(stale_names) << "\n";
  if (opts.json) {
    json_out.push_back({{"peer", t.label},
                        {"received", report.received.size()},
                        {"sent", report.sent.size()},
                        {"names", arrived},
                        {"messages", report.messages},
                        {"bytes", report.bytes},
                        {"in_sync", in_sync},
                        {"confirmed", confirmed},
                        {"heads", HexList(our_heads)},
                        {"missing_here", HexList(missing_here)},
                        {"missing_there", HexList(missing_there)},
                        {"conflicts_auto_resolved", news.auto_resolved},
                        {"conflicts_settled", news.settled},
                        {"staged_overtaken", stale_names},
                        {"notices", report.notices},
                        {"problems", report.problems}});
    return code;
  }
  if (!report.received.empty()) {
    std::cout << "received " << report.received.size() << " change"
              << (report.received.size() == 1 ? "" : "s") << " from " << t.label
              << (arrived.empty() ? "" : ": " + Summarize(arrived)) << "\n";
  }
  if (!report.sent.empty()) {
    std::cout << "sent " << report.sent.size() << " change" << (report.sent.size() == 1 ? "" : "s")
              << " to " << t.label << "\n";
  }
  // A failed sync is an error: its one line goes to stderr, like every error.
  (code == kExitOk ? std::cout : std::cerr) << (code == kExitOk ? "" : "weft: ") << verdict << "\n";
  if (news.settled > 0) {
    std::cout << news.settled << (news.settled == 1 ? " conflict" : " conflicts")
              << " settled on another instance, see `weft conflicts --all`\n";
  }
  if (news.auto_resolved > 0) {
    std::cout << news.auto_resolved << (news.auto_resolved == 1 ? " conflict" : " conflicts")
              << " auto-resolved, run `weft conflicts`\n";
  }
  return code;
}

Status Sync(Context& ctx, const std::string& what, const SyncOptions& opts) {
  auto store = ctx.Open();
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto targets, Targets(*store, what));
  nlohmann::json out = nlohmann::json::array();
  int worst = kExitOk;
  for (const auto& t : targets) {
    auto code = SyncOne(*store, t, opts, out);
    if (!code) {
      if (targets.size() == 1) return Fail(code.error());
      std::cerr << "weft: " << t.label << ": " << code.error().message() << "\n";
      worst = std::max(worst, ExitCodeFor(code.error().code()));
      continue;
    }
    worst = std::max(worst, *code);
  }
  if (opts.json) PrintJson(targets.size() == 1 && !out.empty() ? out[0] : out);
  ctx.exit_code = worst;
  return {};
}

Status Check(Context& ctx, const std::string& what, bool json) {
  auto store = ctx.Open(Store::Access::kReadOnly);
  if (!store) return {};
  WEFT_ASSIGN_OR_RETURN(auto targets, Targets(*store, what));
  const Target& t = targets.front();
  auto peer = OpenPeer(t, Store::Access::kReadOnly);
  std::string their_release = "unknown";
  std::optional<std::size_t> to_pull, to_push;
  std::string reason;
  int code = kExitOk;
  if (!peer) {
    reason = peer.error().message();
    code = ExitCodeFor(peer.error().code());
    if (peer.error().code() == ErrorCode::kVersionMismatch) their_release = "newer";
  } else {
    their_release = (*peer)->GetMeta("release").value_or(std::nullopt).value_or("unknown");
    WEFT_ASSIGN_OR_RETURN(auto mine, AllChanges(store->db()));
    WEFT_ASSIGN_OR_RETURN(auto theirs, AllChanges((*peer)->db()));
    std::size_t pull = 0, push = 0;
    for (const auto& h : theirs) pull += mine.contains(h) ? 0 : 1;
    for (const auto& h : mine) push += theirs.contains(h) ? 0 : 1;
    to_pull = pull;
    to_push = push;
  }
  const bool possible = code == kExitOk;
  if (json) {
    nlohmann::json out = {{"peer", t.label},  {"our_release", kRelease}, {"possible", possible},
                          {"reason", reason}, {"to_pull", nullptr},      {"to_push", nullptr}};
    out["their_release"] = their_release;
    if (to_pull) out["to_pull"] = *to_pull;
    if (to_push) out["to_push"] = *to_push;
    PrintJson(out);
  } else if (possible) {
    std::cout << t.label << ": Release " << their_release << ", ours " << kRelease
              << "; sync is possible; " << *to_pull << " to pull / " << *to_push << " to push\n";
  } else {
    std::cout << t.label << ": sync is not possible: " << reason << "\n";
  }
  ctx.exit_code = code;
  return {};
}

}  // namespace

void RegisterSyncCommands(CLI::App& app, Context& ctx) {
  auto* peer = app.add_subcommand("peer", "register, list and remove peers");
  peer->require_subcommand(1);
  auto name = std::make_shared<std::string>();
  auto address = std::make_shared<std::string>();
  auto* add = peer->add_subcommand("add", "register a peer by the path of its store");
  add->add_option("name", *name)->required();
  add->add_option("address", *address, "the peer's store directory")->required();
  add->callback([&ctx, name, address] {
    auto st = [&]() -> Status {
      WEFT_TRY(ValidateBranchName(*name));  // same rules: short, no spaces
      std::error_code ec;
      if (!std::filesystem::exists(std::filesystem::path(*address) / kStoreFileName, ec)) {
        return Fail(ErrorCode::kNotFound, "no weft store at {}", *address);
      }
      auto store = ctx.Open();
      if (!store) return {};
      std::string abs = std::filesystem::absolute(*address, ec).lexically_normal().string();
      WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store->db()));
      WEFT_TRY(AddPeer(store->db(), *name, abs));
      WEFT_TRY(tx.Commit());
      std::cout << "added peer " << *name << " at " << abs << "\n";
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
    auto peers = ListPeers(store->db());
    if (!peers) return ctx.Report(peers.error());
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : *peers) out.push_back({{"name", p.name}, {"address", p.address}});
    if (*ls_json) return PrintJson(out);
    if (peers->empty()) std::cout << "no peers\n";
    for (const auto& p : *peers) std::cout << fmt::format("{:<16} {}\n", p.name, p.address);
  });
  auto* rm = peer->add_subcommand("rm", "forget a peer");
  auto rm_name = std::make_shared<std::string>();
  rm->add_option("name", *rm_name)->required();
  rm->callback([&ctx, rm_name] {
    auto store = ctx.Open();
    if (!store) return;
    auto st = [&]() -> Status {
      WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store->db()));
      WEFT_TRY(RemovePeer(store->db(), *rm_name));
      return tx.Commit();
    }();
    if (!st) return ctx.Report(st.error());
    std::cout << "removed peer " << *rm_name << "\n";
  });

  auto* sync =
      app.add_subcommand("sync", "sync with a peer (or every peer) through its store on disk");
  auto target = std::make_shared<std::string>();
  auto opts = std::make_shared<SyncOptions>();
  sync->add_option("peer", *target, "a registered peer or a store directory (default: every peer)");
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
  sync->callback([&ctx, check, target, opts] {
    if (check->parsed()) return;
    if (auto st = Sync(ctx, *target, *opts); !st) ctx.Report(st.error());
  });
}

}  // namespace weft::cli
