#include "web/api.h"

#include <charconv>

#include "core/release.h"
#include "daemon/daemon_lock.h"
#include "fold/open.h"
#include "workspace/documents.h"
#include "workspace/peers.h"
#include "workspace/sync_events.h"

namespace weft::web {
namespace {

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kConflict:
    case ErrorCode::kVersionMismatch:
      return 409;
    case ErrorCode::kBusy:
    case ErrorCode::kUnavailable:
      return 503;
    default:
      return 500;
  }
}

constexpr int kSparklineCycles = 30;

// Sentences for what a person should look at first.
nlohmann::json Warnings(const workspace::StatusReport& r,
                        const std::vector<PeerSyncSummary>& peers) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : r.clocks_ahead) {
    out.push_back(
        fmt::format("{}'s clock runs {} minutes ahead of this machine's", c.instance, c.minutes));
  }
  if (r.fsck_at_ms && r.fsck_findings > 0) {
    out.push_back(fmt::format("the last weft fsck found {} problem{}; run it again to see them",
                              r.fsck_findings, r.fsck_findings == 1 ? "" : "s"));
  }
  if (r.quarantined_missing > 0) {
    out.push_back(fmt::format("{} damaged row{} set aside wait for a peer to send them again",
                              r.quarantined_missing, r.quarantined_missing == 1 ? "" : "s"));
  }
  if (r.damage) out.push_back("the log could not be read whole: " + *r.damage);
  if (!r.staged_overtaken.empty()) {
    out.push_back(fmt::format("{} staged edit{} overtaken by a sync", r.staged_overtaken.size(),
                              r.staged_overtaken.size() == 1 ? " was" : "s were"));
  }
  for (const auto& p : peers) {
    if (p.last_error && p.last_error->their_release && *p.last_error->their_release != kRelease) {
      out.push_back(fmt::format("{} is on Release {}, this instance on {}: they cannot sync",
                                p.peer, *p.last_error->their_release, kRelease));
    }
  }
  return out;
}

Result<nlohmann::json> Overview(const ApiOptions& o, Store& store) {
  WEFT_ASSIGN_OR_RETURN(workspace::StatusReport r, workspace::GetStatus(store));
  WEFT_ASSIGN_OR_RETURN(auto peers, workspace::LastSyncs(store));
  WEFT_ASSIGN_OR_RETURN(auto running, daemon::RunningDaemon(o.store_dir));
  nlohmann::json status = workspace::StatusJson(r, {});  // as `status --json` prints it
  status["daemon"] = daemon::DaemonJson(running);
  status["peers"] = workspace::PeerSummaryJson(peers);
  return nlohmann::json{{"status", status}, {"warnings", Warnings(r, peers)}};
}

Result<nlohmann::json> PeerList(Store& store) {
  WEFT_ASSIGN_OR_RETURN(auto peers, workspace::Peers(store));
  WEFT_ASSIGN_OR_RETURN(auto last, workspace::LastSyncs(store));
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : peers) {
    nlohmann::json row = {
        {"peer", workspace::PeerJson(p)}, {"last_success", nullptr}, {"last_error", nullptr}};
    for (const auto& s : last) {
      if (s.peer != p.name) continue;
      if (s.last_success) row["last_success"] = workspace::SyncEventJson(*s.last_success);
      if (s.last_error) row["last_error"] = workspace::SyncEventJson(*s.last_error);
    }
    WEFT_ASSIGN_OR_RETURN(auto events, workspace::SyncEvents(store, p.name, kSparklineCycles));
    nlohmann::json recent = nlohmann::json::array();
    for (const auto& e : events) recent.push_back(workspace::SyncEventJson(e));
    row["recent"] = recent;  // newest first
    out.push_back(std::move(row));
  }
  return out;
}

Result<workspace::Target> OnePeer(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(auto peers, workspace::Peers(store));
  for (const auto& p : peers) {
    if (p.name == name) {
      WEFT_ASSIGN_OR_RETURN(auto targets, workspace::ResolveTargets(store, name));
      return targets.front();
    }
  }
  return Fail(ErrorCode::kNotFound, "no peer named {}", name);
}

}  // namespace

Result<std::int64_t> IntParam(const httplib::Request& req, const std::string& name,
                              std::int64_t fallback, std::int64_t lo, std::int64_t hi) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  std::int64_t n = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi) {
    return Fail(ErrorCode::kInvalidArgument, "{} must be a whole number from {} to {}", name, lo,
                hi);
  }
  return n;
}

httplib::Server::Handler Route(std::shared_ptr<Gate> gate, const ApiOptions& options, bool write,
                               Work work) {
  return [gate = std::move(gate), options, write, work = std::move(work)](
             const httplib::Request& req, httplib::Response& res) {
    if (!gate->Admit(req, res, write)) return;
    auto store = write ? OpenStore(options.store_dir, Store::Access::kReadWrite, SystemMillis,
                                   nullptr, options.busy_timeout)
                       : options.readers->Take();
    Result<nlohmann::json> doc =
        store ? work(**store, req) : Result<nlohmann::json>(std::unexpected(store.error()));
    if (store && !write && doc) options.readers->Give(std::move(*store));
    if (!doc) return Answer(res, StatusFor(doc.error().code()), doc.error().message());
    SecureHeaders(res);
    res.set_content(doc->dump() + "\n", "application/json");
  };
}

void MountApi(httplib::Server& http, std::shared_ptr<Gate> gate, const ApiOptions& o) {
  http.Get("/v1/session", Route(gate, o, false, [gate](Store& s, const httplib::Request& q) {
             return Result<nlohmann::json>(nlohmann::json{{"identity", gate->Identity(q)},
                                                          {"instance", s.instance_name()},
                                                          {"csrf", gate->csrf()}});
           }));
  http.Post("/v1/login", [gate](const httplib::Request& req, httplib::Response& res) {
    auto body = nlohmann::json::parse(req.body, nullptr, false);
    const bool shaped = body.is_object() && body.contains("token") && body["token"].is_string();
    if (!shaped) return Answer(res, 400, "a login is {\"token\": \"…\"}");
    if (!gate->LogIn(req, body["token"].get<std::string>(), res)) {
      return Answer(res, 403, "that is not this instance's dashboard token");
    }
    SecureHeaders(res);
    res.status = 204;
  });
  http.Post("/v1/logout", [gate](const httplib::Request& req, httplib::Response& res) {
    if (!gate->Admit(req, res, true)) return;
    gate->LogOut(res);
    SecureHeaders(res);
    res.status = 204;
  });
  http.Get("/v1/overview", Route(gate, o, false, [o](Store& s, const httplib::Request&) {
             return Overview(o, s);
           }));
  http.Get("/v1/peers",
           Route(gate, o, false, [](Store& s, const httplib::Request&) { return PeerList(s); }));
  http.Get(R"(/v1/peers/([^/]+)/check)",
           Route(gate, o, false, [](Store& s, const httplib::Request& q) -> Result<nlohmann::json> {
             WEFT_ASSIGN_OR_RETURN(auto t, OnePeer(s, q.matches[1].str()));
             WEFT_ASSIGN_OR_RETURN(auto r, workspace::CheckPeer(s, t));
             return workspace::CheckJson(t.label, r);
           }));
  http.Post(R"(/v1/peers/([^/]+)/sync)",
            Route(gate, o, true, [](Store& s, const httplib::Request& q) -> Result<nlohmann::json> {
              WEFT_ASSIGN_OR_RETURN(auto t, OnePeer(s, q.matches[1].str()));
              workspace::SyncRequest ask;
              ask.trigger = "dashboard";
              ask.retry_unreachable = false;
              WEFT_ASSIGN_OR_RETURN(auto r, workspace::SyncWithPeer(s, t, ask));
              nlohmann::json one = workspace::SyncJson(t.label, r);
              if (r.verdict == workspace::SyncVerdict::kIncomplete) one["error"] = r.reason;
              return nlohmann::json{{"in_sync", one["in_sync"]}, {"peers", {one}}};
            }));
  MountCodeApi(http, gate, o);
}

}  // namespace weft::web
