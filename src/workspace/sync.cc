#include "workspace/sync.h"

#include <set>

#include "core/progress.h"
#include "core/release.h"
#include "fold/conflict_queries.h"
#include "fold/ledger.h"
#include "fold/staging.h"
#include "net/http_peer.h"
#include "net/session_keeper.h"
#include "net/store_adapter.h"
#include "store/change_log.h"
#include "store/peers.h"
#include "store/schema.h"
#include "store/wip.h"
#include "workspace/hub_peer.h"
#include "workspace/sync_events.h"

namespace weft::workspace {
namespace {

// Names bound by a set of changes, for "what arrived".
Result<std::vector<std::string>> NamesBoundBy(Db& db, const std::vector<ChangeHash>& changes) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  // One snapshot for every read; the bytes were verified when they arrived.
  WEFT_TRY(InReadSnapshot(db, [&]() -> Status {
    for (const auto& h : changes) {
      WEFT_ASSIGN_OR_RETURN(auto bytes, LoadChangeBytes(db, h));
      if (!bytes) continue;
      auto c = DecodeChange(*bytes);
      if (!c) continue;
      for (const Op& op : c->ops) {
        std::string label;
        if (const auto* s = std::get_if<SetName>(&op)) label = s->location;
        if (const auto* r = std::get_if<Repoint>(&op)) label = r->location;
        if (const auto* b = std::get_if<CreateBranch>(&op)) label = "branch " + b->name;
        if (!label.empty() && seen.insert(label).second) out.push_back(label);
      }
    }
    return {};
  }));
  return out;
}

// What the sync did to the races: those open now that are new or changed, and
// those it settled. Races tied to a cause count with their cause.
void CompareConflicts(const std::map<ConflictId, ConflictState>& before,
                      const std::vector<ConflictInfo>& after, SyncReport& report) {
  for (const auto& c : after) {
    if (c.cause) continue;
    auto it = before.find(c.id);
    if (it != before.end() && it->second == c.state) continue;
    if (c.state == ConflictState::kOpen) {
      ++report.conflicts_auto_resolved;
    } else if (it != before.end() && it->second == ConflictState::kOpen) {
      ++report.conflicts_settled;
    }
  }
}

std::string Reason(const net::SessionReport& s, double timeout) {
  if (s.timed_out) return fmt::format("stopped at the {:g} s timeout", timeout);
  if (!s.problems.empty()) return s.problems.front();
  if (s.stalled) return "the same changes were refused again";
  return "stopped after the round limit";
}

// Sessions one sync may start over HTTP when the server loses them (a restart).
constexpr int kMaxHttpSessions = 3;

// One session with a peer over HTTP: our side here, theirs in its `weft serve`. A
// server that restarts mid-sync forgets the session (410); the sync then starts
// another, up to kMaxHttpSessions, within the same deadline.
Result<net::SessionReport> SyncOverHttp(Store& store, const Target& t, const SyncRequest& request,
                                        sync::SyncState& ours, const net::SessionOptions& session) {
  WEFT_ASSIGN_OR_RETURN(net::PeerUrl url, net::ParsePeerUrl(t.address));
  WEFT_ASSIGN_OR_RETURN(net::DeviceIdentity me,
                        net::DeviceIdentity::LoadOrCreate(store.dir(), store.instance_name()));
  net::HttpPeerOptions o = HttpOptions(t, &me, *session.deadline, request.pull);
  o.retry_unreachable = request.retry_unreachable;
  // What sessions the server lost (it restarted mid-sync) had delivered here.
  net::SessionReport earlier;
  for (int attempt = 1;; ++attempt) {
    WEFT_ASSIGN_OR_RETURN(std::unique_ptr<net::HttpPeer> peer, net::HttpPeer::Open(url, o));
    net::StoreAdapter adapter(store);
    WEFT_ASSIGN_OR_RETURN(sync::Hello hello, adapter.Hello());
    net::PeerSession mine(adapter, ours, std::move(hello), kRelease, session.keep_ours);
    auto report = net::RunSession(mine, *peer, session);
    peer->EndSession();
    if (report) {
      WEFT_TRY(mine.Finish());
      report->received.insert(report->received.begin(), earlier.received.begin(),
                              earlier.received.end());
      report->messages += earlier.messages;
      report->bytes += earlier.bytes;
      report->notices.insert(report->notices.begin(), earlier.notices.begin(),
                             earlier.notices.end());
      return report;
    }
    if (!peer->session_lost() || attempt >= kMaxHttpSessions ||
        std::chrono::steady_clock::now() >= *session.deadline) {
      return Fail(report.error());
    }
    // Start again from the shared heads: what arrived is kept, and the new
    // session's Bloom exchange finds what is still missing on either side.
    earlier.received.insert(earlier.received.end(), mine.applied().begin(), mine.applied().end());
    earlier.messages += mine.messages_sent();
    earlier.bytes += mine.bytes_sent();
    earlier.notices.insert(earlier.notices.end(), mine.notices().begin(), mine.notices().end());
    sync::ResetSession(ours);
  }
}

}  // namespace

net::HttpPeerOptions HttpOptions(const Target& t, const net::DeviceIdentity* me,
                                 std::chrono::steady_clock::time_point deadline, bool pull) {
  net::HttpPeerOptions o;
  o.label = t.label;
  o.device_id = t.device_id;
  o.identity = me;
  o.deadline = deadline;
  o.pull = pull;
  return o;
}

namespace {

Result<SyncReport> SyncOnce(Store& store, const Target& t, const SyncRequest& request) {
  std::unique_ptr<Store> peer;
  if (!net::LooksLikeUrl(t.address)) {
    WEFT_ASSIGN_OR_RETURN(peer, net::OpenPeerStore(t.label, t.address,
                                                   request.pull ? Store::Access::kReadOnly
                                                                : Store::Access::kReadWrite));
  }
  bool hub = false;
  if (t.registered) {
    WEFT_ASSIGN_OR_RETURN(hub, IsHub(store, t.label));
  }
  sync::SyncState ours;
  if (t.registered) {
    WEFT_ASSIGN_OR_RETURN(std::optional<Peer> p, FindPeer(store.db(), t.label));
    if (!p) return Fail(ErrorCode::kNotFound, "no peer named {}", t.label);
    WEFT_ASSIGN_OR_RETURN(ours, sync::DecodeState(p->sync_state));
  }
  // A pull: the peer applies nothing, so our first message carries no changes.
  ours.peer_read_only = request.pull;
  WEFT_ASSIGN_OR_RETURN(const auto conflicts_before, ConflictStates(store.db()));
  sync::SyncState theirs;
  theirs.options.read_only = request.pull;
  net::SessionOptions session;
  session.deadline = std::chrono::steady_clock::now() +
                     std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                         std::chrono::duration<double>(request.timeout_s));
  session.peer_label = t.label;
  // The progress line counts the changes either side applied: the ones a peer's
  // store on disk applies count as it applies them (fold/ledger.cc); over HTTP,
  // the ones the peer took count as it reports them.
  progress::Scope phase(fmt::format("syncing with {}", t.label), 0, "changes");
  std::size_t sent_counted = 0;
  if (!peer) {
    session.progress = [&sent_counted](const net::SessionReport& r) {
      if (r.sent > sent_counted) progress::Advance(r.sent - sent_counted);
      sent_counted = std::max(sent_counted, r.sent);
    };
  }
  session.keep_ours =
      net::KeepSessionIn(store, t.registered ? std::optional<std::string>(t.label) : std::nullopt);
  SyncReport report;
  report.peer = t.label;
  if (peer) {
    WEFT_ASSIGN_OR_RETURN(report.session, net::SyncStores(store, *peer, ours, theirs, session));
    peer.reset();  // everything below is about our side
  } else if (hub) {
    WEFT_ASSIGN_OR_RETURN(report.session,
                          SyncOverHub(store, t.label, t.address, request.pull,
                                      request.retry_unreachable, *session.deadline));
  } else {
    WEFT_ASSIGN_OR_RETURN(report.session, SyncOverHttp(store, t, request, ours, session));
  }
  // Our side of the session was kept by session.keep_ours when it finished.
  const net::SessionReport& s = report.session;
  WEFT_ASSIGN_OR_RETURN(report.heads, LogHeads(store.db()));
  WEFT_ASSIGN_OR_RETURN(report.arrived, NamesBoundBy(store.db(), s.received));
  WEFT_ASSIGN_OR_RETURN(const auto conflicts_after, ListConflicts(store.db(), std::nullopt));
  CompareConflicts(conflicts_before, conflicts_after, report);
  WEFT_ASSIGN_OR_RETURN(auto staged, LoadStagedOps(store.db(), store.branch()));
  WEFT_ASSIGN_OR_RETURN(auto stale, StaleStagedEdits(store.db(), store.branch(), staged));
  for (const auto& e : stale) report.staged_overtaken.push_back(e.location);
  // The verdict is what each side holds now, as the peer's messages told us.
  const bool clean = s.quiet && s.problems.empty() && !s.timed_out;
  if (s.missing_here.empty() && s.missing_there.empty()) {
    report.verdict = SyncVerdict::kInSync;
  } else if (request.pull && s.missing_here.empty()) {
    report.verdict = SyncVerdict::kPulled;
  } else if (clean) {
    // Both sides ran out of things to say: what differs was committed meanwhile,
    // by another process here or there. It goes with the next sync.
    report.verdict = SyncVerdict::kRaced;
  } else {
    report.verdict = SyncVerdict::kIncomplete;
    report.reason = Reason(s, request.timeout_s);
  }
  return report;
}

}  // namespace

Result<SyncReport> SyncWithPeer(Store& store, const Target& t, const SyncRequest& request) {
  const auto started_ms = static_cast<std::int64_t>(SystemMillis());
  const auto started = std::chrono::steady_clock::now();
  auto outcome = SyncOnce(store, t, request);
  if (!request.trigger.empty() && t.registered) {
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    // Telemetry: failing to record it never fails the sync.
    (void)RecordSyncEvent(store, SyncEventOf(t.label, request.trigger, started_ms, took, outcome));
  }
  return outcome;
}

namespace {

// The peer's hello from its `weft serve` (GET /v1/health).
Result<sync::Hello> HelloOverHttp(Store& store, const Target& t) {
  WEFT_ASSIGN_OR_RETURN(net::PeerUrl url, net::ParsePeerUrl(t.address));
  // A read: the identity is used when there is one, never made (plain http needs none).
  auto me = net::DeviceIdentity::Load(store.dir());
  if (!me && (url.tls || me.error().code() != ErrorCode::kNotFound)) return Fail(me.error());
  WEFT_ASSIGN_OR_RETURN(
      std::unique_ptr<net::HttpPeer> peer,
      net::HttpPeer::Open(
          url, HttpOptions(t, me ? &*me : nullptr,
                           std::chrono::steady_clock::now() + std::chrono::seconds(10), false)));
  WEFT_ASSIGN_OR_RETURN(net::Health health, peer->GetHealth());
  return health.hello;
}

}  // namespace

Result<CheckReport> CheckPeer(Store& store, const Target& t) {
  CheckReport report;
  report.peer = t.label;
  if (net::LooksLikeUrl(t.address)) {
    bool hub = false;
    if (t.registered) {
      WEFT_ASSIGN_OR_RETURN(hub, IsHub(store, t.label));
    }
    auto hello = hub ? HubHello(store, t.label, t.address) : HelloOverHttp(store, t);
    if (!hello) {
      report.impossible = hello.error();
      return report;
    }
    report.hello = std::move(*hello);
  } else {
    auto peer = net::OpenPeerStore(t.label, t.address, Store::Access::kReadOnly);
    if (!peer) {
      report.impossible = peer.error();
      return report;
    }
    WEFT_ASSIGN_OR_RETURN(report.hello, net::PeerHello(**peer));
  }
  net::StoreAdapter ours(store);
  WEFT_ASSIGN_OR_RETURN(sync::Hello mine, ours.Hello());
  report.to_pull = sync::ChangesAhead(*report.hello, mine);
  report.to_push = sync::ChangesAhead(mine, *report.hello);
  return report;
}

}  // namespace weft::workspace
