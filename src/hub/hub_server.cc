#include "hub/hub_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <malloc.h>
#include <sys/socket.h>

#include <atomic>
#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/release.h"
#include "hub/hub_log.h"
#include "hub/metrics.h"
#include "hub/notifier.h"
#include "hub/rate_limit.h"
#include "hub/schema.h"
#include "hub/tenants.h"
#include "net/http_guard.h"
#include "net/hub_wire.h"
#include "net/listen_address.h"
#include "net/wire_headers.h"

namespace weft::hub {

using Clock = std::chrono::steady_clock;

struct Refusal {
  int status;
  std::string cause;  // Weft-Refusal and the metrics' cause
  std::string sentence;
};

// A database failure: 503 when the database is away or busy (the client tries
// again), 500 for anything else (it would fail again).
Refusal DatabaseFailure(const Error& e) {
  if (e.code() == ErrorCode::kUnavailable || e.code() == ErrorCode::kBusy ||
      e.code() == ErrorCode::kConflict) {
    return {503, "database_unavailable", e.message()};
  }
  return {500, "server_error", e.message()};
}

struct HubServer::Impl {
  HubOptions o;
  std::unique_ptr<httplib::Server> http;
  std::unique_ptr<PgPool> pool;
  Notifier notifier;
  std::unique_ptr<Listener> listener;
  Metrics metrics;
  std::unique_ptr<RateLimit> rate;
  std::atomic<std::size_t> db_waiting{0};
  std::atomic<bool> stopping{false};
  int port = -1;
  int listen_fd = -1;

  void Log(const std::string& line) {
    if (o.log) o.log(line);
  }

  void Refuse(httplib::Response& res, const Refusal& r) {
    res.status = r.status;
    res.set_header(net::kHeaderRefusal, r.cause);
    if (r.status == 503 || r.status == 429) res.set_header("Retry-After", "1");
    res.set_content(net::OneLine(r.sentence) + "\n", "text/plain; charset=utf-8");
  }

  // A connection from the pool, or a refusal: the queue for one is bounded for
  // new requests. A long-poll a push just woke was admitted already: it waits its
  // turn (else one push to a tenant with 2,000 waiters refused most of them).
  std::variant<PgPool::Lease, Refusal> Connection(bool admitted = false) {
    if (!admitted && db_waiting.load() >= o.max_db_queue) {
      return Refusal{503, "queue_full",
                     fmt::format("the hub is busy: {} requests wait for its database; try again",
                                 db_waiting.load())};
    }
    ++db_waiting;
    auto lease = pool->Acquire(std::chrono::seconds(admitted ? 30 : 10));
    --db_waiting;
    if (!lease) return DatabaseFailure(lease.error());
    return std::move(*lease);
  }

  // Times one database call for the latency histogram.
  template <typename F>
  auto Timed(F&& f) -> decltype(f()) {
    const auto start = Clock::now();
    auto r = f();
    metrics.DbLatency(Clock::now() - start);
    return r;
  }

  // Who asks (the token parsed, not yet checked: each request's first statement
  // checks it), or a refusal for a request without one.
  std::variant<Caller, Refusal> Claim(const httplib::Request& q, Scope need) {
    const std::string auth = q.get_header_value("Authorization");
    if (!auth.starts_with("Bearer ")) {
      return Refusal{401, "unauthorized",
                     "this hub needs a token: send Authorization: Bearer <token>"};
    }
    auto claim = ParseToken(std::string_view(auth).substr(7));
    if (!claim) return Refusal{401, "unauthorized", "the token is unknown or revoked"};
    // A bucket already empty is refused before any work; only an admitted
    // request takes from it (Refused, or the push's Take), so a stranger sending a token's id with
    // a wrong secret cannot spend its owner's rate.
    if (!rate->HasRoom(claim->id)) return RateLimited();
    return Caller{*claim, q.matches[1], need};
  }

  Refusal RateLimited() const {
    return {429, "rate_limited",
            fmt::format("this token sent more than {:g} requests a second; slow down",
                        o.rate_per_token)};
  }

  // A refusal for a caller the database turned away, else nothing (and the
  // request is counted against its token's rate).
  std::optional<Refusal> Refused(const Admission& a, const Caller& who, bool count = true) {
    if (a.denied) {
      switch (*a.denied) {
        case Denial::kUnknown:
          return Refusal{401, "unauthorized", "the token is unknown or revoked"};
        case Denial::kWrongTenant:
          return Refusal{403, "wrong_tenant",
                         fmt::format("this token belongs to another tenant than {}", who.tenant)};
        case Denial::kScope:
          return Refusal{403, "forbidden",
                         fmt::format("this request needs the {} scope, which this token lacks",
                                     ScopeName(who.need))};
      }
    }
    if (count) rate->Take(a.token.id);
    return std::nullopt;
  }

  void HandleHealth(httplib::Response& res) {
    nlohmann::json doc = {{"release", kRelease},
                          {"schema", kHubSchema},
                          {"long_polls", notifier.waiting()},
                          {"listening", listener && listener->connected()}};
    const auto start = Clock::now();
    auto lease = pool->Acquire(std::chrono::seconds(2));
    Status ok = lease ? (*lease)->Run("SELECT 1") : Status(Fail(lease.error()));
    doc["db_ms"] = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    doc["database"] = ok ? "ok" : ok.error().message();
    res.status = ok ? 200 : 503;
    res.set_content(doc.dump() + "\n", "application/json");
  }

  void HandleMetrics(httplib::Response& res) {
    res.set_content(
        metrics.Render({{"long_polls", static_cast<double>(notifier.waiting())},
                        {"listen_connected", listener && listener->connected() ? 1.0 : 0.0}}),
        "text/plain; version=0.0.4");
  }

  void HandlePush(const httplib::Request& q, httplib::Response& res) {
    auto who = Claim(q, Scope::kWrite);
    if (auto* r = std::get_if<Refusal>(&who)) return Refuse(res, *r);
    const Caller& caller = std::get<Caller>(who);
    auto conn = Connection();
    if (auto* r = std::get_if<Refusal>(&conn)) return Refuse(res, *r);
    auto& c = std::get<PgPool::Lease>(conn);
    // The caller first: a stranger's body is never decompressed or hashed.
    auto checked = Timed([&] { return CheckCaller(*c, caller); });
    if (!checked) return Refuse(res, DatabaseFailure(checked.error()));
    Admission admitted;
    if (const Denial* d = std::get_if<Denial>(&*checked)) admitted.denied = *d;
    if (auto r = Refused(admitted, caller, false)) return Refuse(res, *r);
    const TokenInfo token = std::get<TokenInfo>(std::move(*checked));
    auto m = sync::DecodeMessage(AsBytes(q.body), kRelease);
    if (!m && m.error().code() == ErrorCode::kVersionMismatch) {
      return Refuse(res, {409, "version_mismatch", m.error().message()});
    }
    if (!m) return Refuse(res, {400, "malformed", m.error().message()});
    auto out =
        Timed([&] { return Push(*c, caller, std::move(*m), PushLimits{o.max_change_bytes}); });
    if (!out && out.error().code() == ErrorCode::kProtocol) {
      return Refuse(res, {400, "malformed", out.error().message()});
    }
    if (!out) return Refuse(res, DatabaseFailure(out.error()));
    if (auto r = Refused(*out, caller, false)) return Refuse(res, *r);
    rate->Take(token.id);
    nlohmann::json doc = {{"epoch", out->epoch},
                          {"latest", out->latest},
                          {"accepted", out->accepted},
                          {"duplicates", out->duplicates}};
    if (out->last) doc["last"] = out->last->Hex();
    if (!out->refusal.empty()) {
      doc["refusal"] = out->refusal;
      doc["error"] = out->sentence;
      doc["missing"] = out->missing;
      res.status = out->refusal == "over_quota" ? 507 : 422;
      res.set_header(net::kHeaderRefusal, out->refusal);
      res.set_content(doc.dump() + "\n", "application/json");
      Log(fmt::format("refused a push to {} from {}: {}", token.tenant, token.device,
                      out->sentence));
      return;
    }
    if (out->accepted > 0) notifier.Raise(token.tenant_id, out->latest);
    metrics.Add("pushes_total");
    metrics.Add("changes_in_total", out->accepted);
    metrics.Add("bytes_in_total", q.body.size());
    res.set_header(net::kHubEpoch, out->epoch);
    res.set_header(net::kHubLatest, std::to_string(out->latest));
    res.set_content(doc.dump() + "\n", "application/json");
  }

  // after=N at=HEX epoch=E wait=S limit=L
  std::variant<PullRequest, Refusal> ParsePull(const httplib::Request& q, int& wait_s) {
    PullRequest p;
    auto number = [&](const char* key, std::int64_t max, std::int64_t& into) -> bool {
      if (!q.has_param(key)) return true;
      const std::string v = q.get_param_value(key);
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), into);
      return ec == std::errc() && ptr == v.data() + v.size() && into >= 0 && into <= max;
    };
    std::int64_t wait = 0, limit = 1000;
    if (!number("after", INT64_MAX, p.after) || !number("wait", net::kHubMaxWaitS, wait) ||
        !number("limit", 10000, limit) || limit == 0) {
      return Refusal{400, "bad_request",
                     fmt::format("after is a whole number, wait at most {} s, limit 1 to 10000",
                                 net::kHubMaxWaitS)};
    }
    if (q.has_param("at")) {
      auto at = ChangeHash::FromHex(q.get_param_value("at"));
      if (!at) return Refusal{400, "bad_request", "at is the 64-hex hash of a change"};
      p.at = *at;
    }
    p.epoch = q.get_param_value("epoch");
    if (q.has_param("seen")) {
      const std::string v = q.get_param_value("seen");
      const auto colon = v.find(':');
      auto hash = ChangeHash::FromHex(colon == std::string::npos ? "" : v.substr(colon + 1));
      std::int64_t seq = 0;
      auto [ptr, ec] =
          std::from_chars(v.data(), v.data() + (colon == std::string::npos ? 0 : colon), seq);
      if (!hash || ec != std::errc() || seq <= 0) {
        return Refusal{400, "bad_request",
                       "seen is SEQ:HASH, the change the client knows is there"};
      }
      p.seen = seq;
      p.seen_at = *hash;
    }
    p.peek = q.get_param_value("peek") == "1";
    p.max_changes = static_cast<std::size_t>(limit);
    wait_s = static_cast<int>(wait);
    return p;
  }

  void HandlePull(const httplib::Request& q, httplib::Response& res) {
    auto who = Claim(q, Scope::kRead);
    if (auto* r = std::get_if<Refusal>(&who)) return Refuse(res, *r);
    const Caller& caller = std::get<Caller>(who);
    int wait_s = 0;
    auto parsed = ParsePull(q, wait_s);
    if (auto* r = std::get_if<Refusal>(&parsed)) return Refuse(res, *r);
    const PullRequest& req = std::get<PullRequest>(parsed);
    const auto deadline = Clock::now() + std::chrono::seconds(wait_s);
    Page page;
    for (bool waited = false;; waited = true) {
      {
        auto conn = Connection(waited);
        if (auto* r = std::get_if<Refusal>(&conn)) return Refuse(res, *r);
        auto& c = std::get<PgPool::Lease>(conn);
        auto got = Timed([&] { return Pull(*c, caller, req); });
        if (!got) return Refuse(res, DatabaseFailure(got.error()));
        // A long-poll's token is checked again when it wakes: revoked meanwhile,
        // refused.
        if (auto r = Refused(*got, caller, !waited)) return Refuse(res, *r);
        page = std::move(*got);
      }  // the connection goes back before any wait
      if (page.history_changed || page.latest > req.after || waited || wait_s == 0) break;
      if (notifier.waiting() >= o.max_long_polls) {
        return Refuse(res, {503, "too_many_long_polls",
                            fmt::format("this replica holds {} long-polls already; try again",
                                        o.max_long_polls)});
      }
      metrics.Add("long_polls_total");
      notifier.Wait(page.token.tenant_id, req.after, deadline);
      if (stopping) break;
    }
    res.set_header(net::kHubEpoch, page.epoch);
    res.set_header(net::kHubLatest, std::to_string(page.latest));
    if (page.history_changed) {
      return Refuse(res, {410, "history_changed",
                          "the hub's history is not the one this device last saw (a new epoch or "
                          "a restore): reconcile by clock"});
    }
    res.set_header(net::kHubThrough, std::to_string(page.through));
    res.set_header(net::kHubMore, page.more ? "1" : "0");
    sync::Message m;
    m.release = kRelease;
    m.changes = std::move(page.changes);
    m.blobs = std::move(page.blobs);
    const Bytes body = sync::EncodeMessage(m);
    metrics.Add("pulls_total");
    metrics.Add("changes_out_total", m.changes.size());
    metrics.Add("bytes_out_total", body.size());
    res.set_content(std::string(body.begin(), body.end()), "application/octet-stream");
  }

  void HandleClock(const httplib::Request& q, httplib::Response& res) {
    auto who = Claim(q, Scope::kRead);
    if (auto* r = std::get_if<Refusal>(&who)) return Refuse(res, *r);
    const Caller& caller = std::get<Caller>(who);
    auto conn = Connection();
    if (auto* r = std::get_if<Refusal>(&conn)) return Refuse(res, *r);
    auto& c = std::get<PgPool::Lease>(conn);
    auto clock = Timed([&] { return ReadClock(*c, caller); });
    if (!clock) return Refuse(res, DatabaseFailure(clock.error()));
    if (auto r = Refused(*clock, caller)) return Refuse(res, *r);
    const TokenInfo& token = clock->token;
    sync::Message m;
    m.release = kRelease;
    m.hello = sync::Hello{"hub/" + token.tenant, ActorId(),
                          static_cast<std::uint64_t>(clock->latest), std::move(clock->clock)};
    m.heads = std::move(clock->heads);
    const Bytes body = sync::EncodeMessage(m);
    res.set_header(net::kHubEpoch, clock->epoch);
    res.set_header(net::kHubLatest, std::to_string(clock->latest));
    res.set_content(std::string(body.begin(), body.end()), "application/octet-stream");
  }
};

HubServer::HubServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HubServer::~HubServer() {
  Stop();
  impl_->listener.reset();
}
int HubServer::port() const { return impl_->port; }
std::string HubServer::url() const {
  return net::ServerUrl(!impl_->o.cert_file.empty(), impl_->o.host, impl_->port);
}

Status HubServer::Run() {
  if (!impl_->http->listen_after_bind() && !impl_->stopping.load()) {
    return Fail(ErrorCode::kIo, "the hub's listener on {} failed", url());
  }
  return {};
}

void HubServer::Stop() {
  if (impl_->stopping.exchange(true)) return;
  impl_->notifier.Close();
  impl_->http->stop();
}

Result<std::unique_ptr<HubServer>> HubServer::Start(const HubOptions& o) {
  // Two malloc arenas, not glibc's eight per core: a replica's many threads each
  // build a page of megabytes and free it, and with an arena per thread the
  // freed memory stayed spread over them (100 devices cloning at once: 285 MB
  // for two replicas, 161 MB with two arenas; one clone's peak grew with the
  // number of pages, now flat). Set before the server starts any thread.
  mallopt(M_ARENA_MAX, 2);
  if (o.cert_file.empty() != o.key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "--cert and --key go together");
  }
  if (o.cert_file.empty() && !net::IsLoopback(o.host)) {
    return Fail(ErrorCode::kInvalidArgument,
                "refusing to serve {} without TLS: tokens would cross the network in the clear "
                "(add --cert and --key, or listen on 127.0.0.1)",
                o.host);
  }
  auto impl = std::make_unique<Impl>();
  impl->o = o;
  impl->pool = std::make_unique<PgPool>(o.db_url, o.db_connections);
  impl->rate = std::make_unique<RateLimit>(o.rate_per_token, o.rate_burst);
  {
    WEFT_ASSIGN_OR_RETURN(PgPool::Lease c, impl->pool->Acquire());
    WEFT_TRY(CheckSchema(*c));
  }
  if (!o.cert_file.empty()) {
    impl->http = std::make_unique<httplib::SSLServer>(o.cert_file.c_str(), o.key_file.c_str());
    if (!impl->http->is_valid()) {
      return Fail(ErrorCode::kInvalidArgument, "cannot set up TLS with {} and {}", o.cert_file,
                  o.key_file);
    }
  } else {
    impl->http = std::make_unique<httplib::Server>();
  }
  Impl* self = impl.get();
  httplib::Server& http = *impl->http;
  const std::size_t threads = o.max_long_polls + o.db_connections * 2 + 8;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(o.max_request_bytes);
  http.set_read_timeout(std::chrono::seconds(30));
  http.set_write_timeout(std::chrono::seconds(30));
  // An idle keep-alive connection costs a thread that Debian's cpp-httplib
  // (0.11) wakes about 90 times a second to look at the socket: 2,000 devices
  // idle after their answers kept both cores busy and starved the waiters a
  // push had woken. A device's next request follows its answer at once; 5 s
  // of idleness is plenty (a long-poll waits inside its request, not here).
  http.set_keep_alive_timeout(5);
  http.set_tcp_nodelay(true);
  // The listening socket is kept to widen its backlog once bound: Debian's
  // compiled cpp-httplib listens with a backlog of 5, and a burst of devices
  // reconnecting at once (a replica restarted) overflowed it, each dropped
  // connection waiting out TCP's 1 s, 3 s, 7 s… retries.
  http.set_socket_options([self](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    self->listen_fd = sock;
  });
  http.set_logger([self](const httplib::Request&, const httplib::Response& res) {
    self->metrics.Add("requests_total");
    if (res.status < 400) return;
    std::string why = res.get_header_value(net::kHeaderRefusal);
    if (why.empty())
      why = res.status == 413 ? "too_large" : res.status == 404 ? "not_found" : "bad_request";
    self->metrics.Refused(why);
  });
  http.set_exception_handler(
      [self](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        self->Refuse(res, {500, "server_error", "the hub failed while answering"});
      });
  http.Get("/v1/health",
           [self](const httplib::Request&, httplib::Response& r) { self->HandleHealth(r); });
  http.Get("/metrics",
           [self](const httplib::Request&, httplib::Response& r) { self->HandleMetrics(r); });
  http.Get(R"(/v1/t/([a-z0-9_-]{1,64})/clock)",
           [self](const httplib::Request& q, httplib::Response& r) { self->HandleClock(q, r); });
  http.Get(R"(/v1/t/([a-z0-9_-]{1,64})/changes)",
           [self](const httplib::Request& q, httplib::Response& r) { self->HandlePull(q, r); });
  http.Post(R"(/v1/t/([a-z0-9_-]{1,64})/changes)",
            [self](const httplib::Request& q, httplib::Response& r) { self->HandlePush(q, r); });
  impl->port = o.port == 0 ? http.bind_to_any_port(o.host)
                           : (http.bind_to_port(o.host, o.port) ? o.port : -1);
  if (impl->port <= 0) {
    return Fail(ErrorCode::kIo, "cannot listen on {}:{} (is another server using it?)", o.host,
                o.port);
  }
  if (impl->listen_fd >= 0) ::listen(impl->listen_fd, 4096);
  Listener::Hooks hooks;
  hooks.db_url = o.db_url;
  hooks.log = [self](const std::string& l) { self->Log(l); };
  hooks.on_notify = [self] { self->metrics.Add("notifications_total"); };
  hooks.on_reconnect = [self] { self->metrics.Add("listen_connects_total"); };
  hooks.poll = [self](const std::vector<std::int64_t>& tenants,
                      std::vector<std::pair<std::int64_t, std::int64_t>>& out) {
    auto lease = self->pool->Acquire(std::chrono::seconds(1));
    if (!lease) return false;
    auto latest = Latest(**lease, tenants);
    if (!latest) return false;
    out = std::move(*latest);
    return true;
  };
  impl->listener = std::make_unique<Listener>(impl->notifier, std::move(hooks));
  return std::unique_ptr<HubServer>(new HubServer(std::move(impl)));
}

}  // namespace weft::hub
