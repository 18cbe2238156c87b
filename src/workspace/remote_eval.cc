#include "workspace/remote_eval.h"

#include <algorithm>
#include <semaphore>
#include <set>

#include "fold/ledger.h"
#include "fold/open.h"
#include "net/http_peer.h"
#include "net/identity.h"
#include "store/peers.h"
#include "store/wip.h"
#include "sync/state.h"
#include "workspace/evaluate.h"

namespace weft::workspace {
namespace {

// Whether the peer is known to hold every one of `heads`: our side of the last
// session with it (a daemon's push included) ended with them shared.
Result<bool> PeerHolds(Store& store, const Target& t, const std::vector<ChangeHash>& heads) {
  if (!t.registered) return false;
  WEFT_ASSIGN_OR_RETURN(std::optional<Peer> p, FindPeer(store.db(), t.label));
  if (!p) return false;
  auto state = sync::DecodeState(p->sync_state);
  if (!state) return false;
  const std::set<ChangeHash> shared(state->shared_heads.begin(), state->shared_heads.end());
  return std::ranges::all_of(heads, [&](const ChangeHash& h) { return shared.contains(h); });
}

constexpr std::ptrdiff_t kConcurrentPeerEvals = 2;

template <typename T>
T Capped(T asked, T ceiling) {
  return asked == 0 ? ceiling : std::min(asked, ceiling);
}

}  // namespace

lang::EvalLimits PeerEvalCeiling() {
  lang::EvalLimits l;
  l.max_memory = std::size_t{256} << 20;
  l.max_time = std::chrono::seconds(10);
  return l;
}

Result<net::RemoteEvalAnswer> ServePeerEval(const std::string& store_dir,
                                            const net::RemoteEvalRequest& request,
                                            std::chrono::milliseconds busy_timeout) {
  WEFT_ASSIGN_OR_RETURN(Evaluation what, request.call.empty()
                                             ? ParseEvaluation(request.expression)
                                             : ParseCall(request.call, request.args));
  const lang::EvalLimits ceiling = PeerEvalCeiling();
  lang::EvalLimits limits;
  limits.max_steps = Capped<std::uint64_t>(request.max_steps, ceiling.max_steps);
  limits.max_depth =
      static_cast<std::uint32_t>(Capped<std::uint64_t>(request.max_depth, ceiling.max_depth));
  limits.max_memory =
      static_cast<std::size_t>(Capped<std::uint64_t>(request.max_memory, ceiling.max_memory));
  limits.max_time = std::chrono::milliseconds(
      Capped<std::int64_t>(request.max_time_ms, ceiling.max_time.count()));
  // At most kConcurrentPeerEvals at once, so peers' requests together stay
  // within a bounded memory (each up to the ceiling's); the others wait their turn
  // for up to the time limit.
  static std::counting_semaphore<kConcurrentPeerEvals> running(kConcurrentPeerEvals);
  if (!running.try_acquire_for(ceiling.max_time)) {
    return Fail(ErrorCode::kUnavailable, "this instance is busy running code for other peers");
  }
  struct Release {
    ~Release() { running.release(); }
  } release;
  WEFT_ASSIGN_OR_RETURN(auto store, OpenStore(store_dir, Store::Access::kReadOnly, SystemMillis,
                                              nullptr, busy_timeout));
  WEFT_ASSIGN_OR_RETURN(EvalResult r, EvaluateCommitted(*store, what, limits, request.branch));
  return net::RemoteEvalAnswer{std::move(r.text), std::move(r.type), r.steps, 0};
}

Result<RemoteRunReport> RunOnPeer(Store& store, const Target& t, const RemoteRunRequest& request) {
  if (!net::LooksLikeUrl(t.address)) {
    return Fail(ErrorCode::kInvalidArgument,
                "{} is a store directory; running code on a peer needs its URL (weft peer add "
                "NAME https://HOST:PORT --id ID) and its daemon or weft serve",
                t.label);
  }
  // Our typo is reported here, before anything moves.
  {
    auto parsed = request.call.empty() ? ParseEvaluation(request.expression)
                                       : ParseCall(request.call, request.args);
    if (!parsed) return Fail(parsed.error());
  }
  RemoteRunReport report;
  report.peer = t.label;
  WEFT_ASSIGN_OR_RETURN(report.required, LogHeads(store.db()));
  WEFT_ASSIGN_OR_RETURN(report.staged, CountStaged(store.db(), store.branch()));
  const auto timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(request.timeout_s));
  WEFT_ASSIGN_OR_RETURN(bool held, PeerHolds(store, t, report.required));
  if (request.sync && !held) {
    SyncRequest s;
    s.timeout_s = request.timeout_s;
    s.trigger = "eval";
    auto synced = SyncWithPeer(store, t, s);
    if (!synced) {
      const ErrorCode c = synced.error().code();
      if (c == ErrorCode::kUnavailable || c == ErrorCode::kTimeout) {
        return Fail(c, "{}; nothing ran", synced.error().message());
      }
      return Fail(synced.error());
    }
    report.synced = true;
    report.sync = std::move(*synced);
  }
  net::RemoteEvalRequest ask;
  ask.expression = request.expression;
  ask.call = request.call;
  ask.args = request.args;
  ask.branch = store.branch();
  ask.required_heads = report.required;
  ask.wait_ms = timeout.count();
  ask.max_steps = request.limits.max_steps;
  ask.max_depth = request.limits.max_depth;
  ask.max_memory = request.limits.max_memory;
  ask.max_time_ms = request.limits.max_time.count();
  WEFT_ASSIGN_OR_RETURN(net::PeerUrl url, net::ParsePeerUrl(t.address));
  WEFT_ASSIGN_OR_RETURN(net::DeviceIdentity me,
                        net::DeviceIdentity::LoadOrCreate(store.dir(), store.instance_name()));
  // Room for the wait there, the run's own time limit and the round trip.
  const auto run_time =
      ask.max_time_ms > 0 ? std::chrono::milliseconds(ask.max_time_ms) : PeerEvalCeiling().max_time;
  const net::HttpPeerOptions o = HttpOptions(
      t, &me, std::chrono::steady_clock::now() + timeout + run_time + std::chrono::seconds(5),
      false);
  WEFT_ASSIGN_OR_RETURN(std::unique_ptr<net::HttpPeer> peer, net::HttpPeer::Open(url, o));
  if (!report.synced) {
    // Nothing has reached it yet in this run: see it answer within the timeout
    // (an unreachable peer fails then, not after the run's own limits too).
    net::HttpPeerOptions probe_options = o;
    probe_options.deadline = std::chrono::steady_clock::now() + timeout;
    WEFT_ASSIGN_OR_RETURN(std::unique_ptr<net::HttpPeer> probe,
                          net::HttpPeer::Open(url, probe_options));
    if (auto health = probe->GetHealth(); !health) {
      const ErrorCode c = health.error().code();
      if (c == ErrorCode::kUnavailable || c == ErrorCode::kTimeout) {
        return Fail(c, "{}; nothing ran", health.error().message());
      }
      return Fail(health.error());
    }
  }
  auto answer = peer->Eval(ask);
  if (!answer) {
    const ErrorCode c = answer.error().code();
    if (c == ErrorCode::kUnavailable || c == ErrorCode::kTimeout) {
      return Fail(c, "{}; nothing ran", answer.error().message());
    }
    return Fail(answer.error());
  }
  report.answer = std::move(*answer);
  return report;
}

}  // namespace weft::workspace
