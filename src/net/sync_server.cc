#include "net/sync_server.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <map>
#include <mutex>
#include <thread>

#include "core/release.h"
#include "fold/ledger.h"
#include "fold/open.h"
#include "net/batch.h"
#include "net/exchange.h"
#include "net/head_events.h"
#include "net/health.h"
#include "net/identity.h"
#include "net/listen_address.h"
#include "net/server_tls.h"
#include "net/session_keeper.h"
#include "net/session_table.h"
#include "net/store_adapter.h"
#include "net/waiter_cap.h"
#include "net/wire_headers.h"
#include "store/change_log.h"
#include "store/peers.h"

namespace weft::net {
namespace {

struct Refusal {
  int status;
  std::string counter;
  std::string sentence;
};

struct Caller {
  std::string identity;  // device id, tailnet:LOGIN, or "loopback"
  std::optional<Peer> peer;
  // Whose sessions these are: the identity, or on plain loopback the device id
  // the client names (each local client its own; "loopback" when it names none).
  std::string key;
};

}  // namespace

class SyncServer::Impl {
 public:
  ServerOptions options;
  std::optional<DeviceIdentity> identity;
  std::string device_id;
  std::unique_ptr<Store> main;  // health, peers and the heads watcher; guarded by main_mu
  std::mutex main_mu;
  std::unique_ptr<httplib::Server> http;
  int port = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  HeadEvents events;
  std::thread watcher;
  std::atomic<bool> stopping{false};
  std::unique_ptr<WaiterCap> waiters;  // long polls and evals waiting for heads
  std::unique_ptr<SessionTable> sessions;

  std::mutex counters_mu;
  std::map<std::string, std::uint64_t> counters;

  void Log(const std::string& line) const {
    if (options.log) options.log(line);
  }
  void Count(const std::string& what) {
    std::lock_guard lock(counters_mu);
    ++counters[what];
  }

  void Refuse(httplib::Response& res, const Refusal& r) {
    res.status = r.status;
    res.set_header(kHeaderRefusal, r.counter);
    if (r.status == 503) res.set_header("Retry-After", "1");
    res.set_content(OneLine(r.sentence) + "\n", "text/plain; charset=utf-8");
    Log(fmt::format("refused ({} {}): {}", r.status, r.counter, OneLine(r.sentence)));
  }

  std::string Name() {
    std::lock_guard lock(main_mu);
    return main->instance_name();
  }

  // Who is calling, and whether they may; a Refusal says why not.
  // `for_browser`: a dashboard login is let in too (health and events).
  std::variant<Caller, Refusal> Identify(const httplib::Request& req, bool for_browser = false) {
    Caller c;
    std::string lookup;
    if (options.tls) {
      X509* cert = req.ssl ? SSL_get0_peer_certificate(req.ssl) : nullptr;
      if (cert == nullptr && for_browser && options.logged_in && options.logged_in(req)) {
        c.identity = c.key = "dashboard";
        return c;
      }
      if (cert == nullptr) {
        return Refusal{403, "forbidden",
                       fmt::format("{} accepts only registered devices, and this client "
                                   "presented no certificate",
                                   Name())};
      }
      auto id = DeviceId::OfCertificate(cert);
      if (!id) return Refusal{403, "forbidden", id.error().message()};
      c.identity = id->ToString();
      lookup = c.identity;
    } else if (options.trust == Trust::kTailnet) {
      const std::string login = req.get_header_value(kHeaderTailscaleLogin);
      if (login.empty()) {
        return Refusal{403, "forbidden",
                       fmt::format("{} trusts only requests that came through tailscale serve, "
                                   "and this one carries no {} header",
                                   Name(), kHeaderTailscaleLogin)};
      }
      c.identity = "tailnet:" + login;
      lookup = c.identity;
    } else {
      c.identity = "loopback";
      lookup = req.get_header_value(kHeaderDevice);
    }
    if (!lookup.empty()) {
      std::lock_guard lock(main_mu);
      auto peer = FindPeerByDevice(main->db(), lookup);
      if (!peer) return Refusal{500, "server_error", peer.error().message()};
      c.peer = std::move(*peer);
    }
    c.key = c.identity == "loopback" && !lookup.empty() ? "loopback:" + lookup : c.identity;
    if (c.identity != "loopback" && !c.peer) {
      return Refusal{403, "forbidden",
                     fmt::format("{} does not know device {}; to trust it, run there: weft peer "
                                 "add NAME --id {}",
                                 Name(), c.identity, c.identity)};
    }
    return c;
  }

  Result<Health> ReadHealth() {
    std::lock_guard lock(main_mu);
    StoreAdapter adapter(*main);
    Health h;
    h.release = kRelease;
    WEFT_ASSIGN_OR_RETURN(h.hello, adapter.Hello());
    WEFT_ASSIGN_OR_RETURN(h.heads, LogHeads(main->db()));
    h.device_id = identity->id().ToString();
    return h;
  }

  void HandleHealth(const httplib::Request& req, httplib::Response& res) {
    auto caller = Identify(req, true);
    if (auto* r = std::get_if<Refusal>(&caller)) return Refuse(res, *r);
    auto health = ReadHealth();
    if (!health) return Refuse(res, {500, "server_error", health.error().message()});
    nlohmann::json doc = HealthToJson(*health);
    doc["uptime_s"] =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started)
            .count();
    doc["sessions"] = sessions->size();
    nlohmann::json counted = nlohmann::json::object();
    {
      std::lock_guard lock(counters_mu);
      for (const auto& [k, v] : counters) counted[k] = v;
    }
    counted["tls_handshake_failed"] = FailedHandshakes();
    doc["counters"] = counted;
    res.set_content(doc.dump() + "\n", "application/json");
  }

  // A place among the requests that may wait, or the refusal (503) sent.
  std::optional<WaiterCap::Slot> TakeWaiterSlot(httplib::Response& res) {
    auto slot = waiters->TryTake();
    if (!slot) {
      Refuse(res, {503, "too_many_sessions",
                   fmt::format("{} has {} requests waiting already; try again shortly", Name(),
                               options.max_sessions)});
    }
    return slot;
  }

  // Which of `heads` this store does not hold.
  Result<std::vector<ChangeHash>> Lacking(const std::vector<ChangeHash>& heads) {
    std::lock_guard lock(main_mu);
    std::vector<ChangeHash> out;
    for (const auto& h : heads) {
      WEFT_ASSIGN_OR_RETURN(bool held, HasChange(main->db(), h));
      if (!held) out.push_back(h);
    }
    return out;
  }

  void HandleEval(const httplib::Request& req, httplib::Response& res) {
    auto caller = Identify(req);
    if (auto* r = std::get_if<Refusal>(&caller)) return Refuse(res, *r);
    if (!options.evaluate) {
      return Refuse(res, {404, "not_found", fmt::format("{} does not run code for peers", Name())});
    }
    if (req.body.size() > kMaxEvalRequestBytes) {
      return Refuse(res, {413, "too_large", "an eval request is at most 1 MiB"});
    }
    auto parsed = RemoteEvalRequestFromJson(nlohmann::json::parse(req.body, nullptr, false));
    if (!parsed) return Refuse(res, {400, "bad_request", parsed.error().message()});
    const RemoteEvalRequest& ask = *parsed;
    auto slot = TakeWaiterSlot(res);
    if (!slot) return;
    // Wait for the heads the caller needs (they are on their way: a sync, or a
    // daemon's push), at most wait_ms and never past the server's stop.
    const auto start = std::chrono::steady_clock::now();
    const auto wait = std::chrono::milliseconds(std::min<std::int64_t>(ask.wait_ms, 60'000));
    std::vector<ChangeHash> lacking = ask.required_heads;
    while (true) {
      auto now_lacking = Lacking(lacking);
      if (!now_lacking) return Refuse(res, {500, "server_error", now_lacking.error().message()});
      lacking = std::move(*now_lacking);
      if (lacking.empty() || stopping.load() || std::chrono::steady_clock::now() - start >= wait) {
        break;
      }
      std::this_thread::sleep_for(options.watch_interval);
    }
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    if (!lacking.empty()) {
      std::string missing;
      for (std::size_t i = 0; i < lacking.size() && i < 3; ++i) {
        missing += (i ? ", " : "") + lacking[i].Short();
      }
      if (lacking.size() > 3) missing += fmt::format(" and {} more", lacking.size() - 3);
      return Refuse(res, {504, "missing_changes",
                          fmt::format("{} does not hold {} after {:g} s; nothing ran", Name(),
                                      missing, static_cast<double>(waited.count()) / 1000.0)});
    }
    auto answer = options.evaluate(ask);
    if (!answer) {
      const Error& e = answer.error();
      switch (e.code()) {
        case ErrorCode::kEvaluation:
          return Refuse(res, {422, "evaluation_error", e.message()});
        case ErrorCode::kNotFound:
          return Refuse(res, {404, "not_found", e.message()});
        case ErrorCode::kInvalidArgument:
          return Refuse(res, {400, "bad_request", e.message()});
        case ErrorCode::kUnavailable:
          return Refuse(res, {503, "eval_busy", e.message()});
        default:
          return Refuse(res, {500, "server_error", e.message()});
      }
    }
    answer->waited_ms = waited.count();
    Log(fmt::format("ran code for {} ({} steps, waited {} ms for heads)",
                    std::get<Caller>(caller).identity, answer->steps, waited.count()));
    res.set_content(RemoteEvalAnswerToJson(*answer).dump() + "\n", "application/json");
  }

  void HandleEvents(const httplib::Request& req, httplib::Response& res) {
    auto caller = Identify(req, true);
    if (auto* r = std::get_if<Refusal>(&caller)) return Refuse(res, *r);
    auto slot = TakeWaiterSlot(res);
    if (!slot) return;
    std::uint64_t after = 0;
    std::int64_t wait_s = 30;
    try {
      if (req.has_param("after")) after = std::stoull(req.get_param_value("after"));
      if (req.has_param("wait")) wait_s = std::stoll(req.get_param_value("wait"));
    } catch (const std::exception&) {
      return Refuse(res, {400, "bad_request", "after and wait must be whole numbers"});
    }
    wait_s = std::clamp<std::int64_t>(wait_s, 0, 30);
    const EventBatch batch = events.After(after, std::chrono::seconds(wait_s));
    res.set_content(EventBatchToJson(batch).dump() + "\n", "application/json");
  }

  // DELETE /v1/sync: the client is done with its session.
  void HandleEndSession(const httplib::Request& req, httplib::Response& res) {
    auto caller = Identify(req);
    if (auto* r = std::get_if<Refusal>(&caller)) return Refuse(res, *r);
    sessions->End(std::get<Caller>(caller).key + "/" + req.get_header_value(kHeaderSession));
    res.status = 204;
  }

  // Finds the session of this request, or opens one for its first message.
  std::variant<std::shared_ptr<ServerSession>, Refusal> FindSession(const Caller& caller,
                                                                    const std::string& key,
                                                                    std::uint64_t seq, bool pull) {
    if (auto found = sessions->Find(key)) return found;
    if (seq != 1) {
      return Refusal{410, "gone",
                     "this sync session is unknown here (it expired or the server restarted); "
                     "run the sync again"};
    }
    const Refusal full{503, "too_many_sessions",
                       fmt::format("{} is syncing with {} peers already; try again shortly", Name(),
                                   sessions->capacity())};
    if (!sessions->MakeRoom(caller.key)) return full;
    auto s = std::make_shared<ServerSession>();
    auto store =
        OpenStore(options.store_dir, pull ? Store::Access::kReadOnly : Store::Access::kReadWrite,
                  SystemMillis, nullptr, options.busy_timeout);
    if (!store) {
      return Refusal{store.error().code() == ErrorCode::kBusy ? 503 : 500,
                     store.error().code() == ErrorCode::kBusy ? "busy" : "server_error",
                     store.error().message()};
    }
    s->store = std::move(*store);
    s->adapter = std::make_unique<StoreAdapter>(*s->store);
    if (caller.peer) {
      auto state = sync::DecodeState(caller.peer->sync_state);
      if (state) s->state = std::move(*state);  // a damaged state only costs a full exchange
    }
    s->state.options.read_only = pull;
    auto hello = s->adapter->Hello();
    if (!hello) return Refusal{500, "server_error", hello.error().message()};
    SessionKeeper keep;
    if (!pull) {
      keep = KeepSessionIn(
          *s->store, caller.peer ? std::optional<std::string>(caller.peer->name) : std::nullopt);
    }
    s->peer = std::make_unique<PeerSession>(*s->adapter, s->state, std::move(*hello), kRelease,
                                            std::move(keep));
    s->responder = std::make_unique<Responder>(*s->peer);
    s->Touch();
    auto kept = sessions->Insert(key, s);
    if (!kept) return full;
    if (kept == s) Log(fmt::format("session {} opened{}", key, pull ? " (pull)" : ""));
    return kept;
  }

  void HandleSync(const httplib::Request& req, httplib::Response& res) {
    auto caller = Identify(req);
    if (auto* r = std::get_if<Refusal>(&caller)) return Refuse(res, *r);
    const Caller& who = std::get<Caller>(caller);
    const std::string session_id = req.get_header_value(kHeaderSession);
    std::uint64_t seq = 0;
    try {
      seq = std::stoull(req.get_header_value(kHeaderSeq));
    } catch (const std::exception&) {
      seq = 0;
    }
    if (session_id.empty() || session_id.size() > 64 || seq == 0) {
      return Refuse(res, {400, "bad_request",
                          fmt::format("a sync request needs the {} and {} headers", kHeaderSession,
                                      kHeaderSeq)});
    }
    const bool pull = req.get_header_value(kHeaderMode) == "pull";
    auto found = FindSession(who, who.key + "/" + session_id, seq, pull);
    if (auto* r = std::get_if<Refusal>(&found)) return Refuse(res, *r);
    std::shared_ptr<ServerSession> s = std::get<std::shared_ptr<ServerSession>>(found);
    std::lock_guard lock(s->mu);
    s->Touch();
    if (s->dead)
      return Refuse(res, {410, "gone", "this sync session has ended; run the sync again"});
    if (seq == s->last_seq) {  // a retry of a request whose response was lost
      res.status = s->last_status;
      res.headers = s->last_headers;
      const std::string type = res.get_header_value("Content-Type");  // a batch stays one
      res.headers.erase("Content-Type");
      if (!s->last_body.empty()) res.set_content(s->last_body, type);
      return;
    }
    if (seq != s->last_seq + 1) {
      s->dead = true;
      return Refuse(res, {400, "bad_request",
                          fmt::format("sync request {} arrived after {}; the session is reset", seq,
                                      s->last_seq)});
    }
    auto messages =
        MessagesOfBody(req.get_header_value("Content-Type"), req.body, kMaxBatchMessages + 1);
    if (!messages) {
      s->dead = true;
      return Refuse(res, {400, "bad_request", messages.error().message()});
    }
    const bool batch = req.get_header_value(kHeaderBatch) == "1";
    auto reply = s->responder->Respond(*messages, batch);
    if (!reply) {
      s->dead = true;
      const Error& e = reply.error();
      if (e.code() == ErrorCode::kVersionMismatch) {
        return Refuse(res, {409, "version_mismatch", e.message()});
      }
      if (e.code() == ErrorCode::kBusy) return Refuse(res, {503, "busy", e.message()});
      return Refuse(res, {500, "server_error", e.message()});
    }
    if (reply->reset) {
      s->dead = true;
      const auto& p = s->peer->problems();
      return Refuse(
          res, {400, "bad_request", p.empty() ? std::string("malformed sync message") : p.back()});
    }
    res.set_header(kHeaderApplied, std::to_string(reply->applied));
    res.set_header(kHeaderCarried, reply->carried ? "1" : "0");
    res.set_header(kHeaderProgressed, reply->progressed ? "1" : "0");
    for (const auto& p : reply->problems) res.set_header(kHeaderProblem, OneLine(p));
    for (const auto& n : reply->notices) res.set_header(kHeaderNotice, OneLine(n));
    if (batch) res.set_header(kHeaderBatch, "1");
    res.set_header(kHeaderMore, reply->more ? "1" : "0");
    if (!reply->messages.empty()) {
      res.status = 200;
      if (batch) {
        res.set_content(EncodeBatch(reply->messages), kBatchContentType);
      } else {
        const Bytes& m = reply->messages.front();
        res.set_content(std::string(m.begin(), m.end()), "application/octet-stream");
      }
    } else {
      res.status = 204;
    }
    // Nothing more until the client speaks (it may not): keep what was learned.
    if (auto kept = reply->more ? Status() : s->peer->Finish(); !kept)
      Log("keeping a session failed: " + kept.error().message());
    s->last_seq = seq;
    s->last_status = res.status;
    s->last_body = res.body;
    s->last_headers = res.headers;
  }

  // Polls the store's data version; on a change, tells the long polls if heads moved.
  void Watch() {
    std::optional<std::int64_t> seen_version;
    std::vector<ChangeHash> seen_heads;
    auto last_sweep = std::chrono::steady_clock::now();
    while (!stopping.load()) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_sweep >= std::chrono::seconds(1)) {
        // Idle sessions close their stores even when no request comes to sweep them.
        sessions->Sweep();
        last_sweep = now;
      }
      std::optional<std::vector<ChangeHash>> moved;
      {
        std::lock_guard lock(main_mu);
        auto version = main->db().DataVersion();
        if (version && (!seen_version || *version != *seen_version)) {
          StoreAdapter adapter(*main);
          auto heads = LogHeads(main->db());
          auto hello = adapter.Hello();
          if (heads && hello) {
            seen_version = *version;
            events.Observe(*heads, hello->changes);
            if (*heads != seen_heads) {
              seen_heads = *heads;
              moved = std::move(*heads);
            }
          }
        }
      }
      if (moved && options.heads_changed) options.heads_changed(*moved);
      std::this_thread::sleep_for(options.watch_interval);
    }
  }
};

SyncServer::SyncServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SyncServer::~SyncServer() {
  Stop();
  if (impl_->watcher.joinable()) impl_->watcher.join();
}

int SyncServer::port() const { return impl_->port; }
const std::string& SyncServer::device_id() const { return impl_->device_id; }

std::string SyncServer::url() const {
  return ServerUrl(impl_->options.tls, impl_->options.host, impl_->port);
}

Status SyncServer::Run() {
  if (!impl_->http->listen_after_bind() && !impl_->stopping.load()) {
    return Fail(ErrorCode::kIo, "the listener on {} failed", url());
  }
  return {};
}

void SyncServer::Stop() {
  if (impl_->stopping.exchange(true)) return;
  impl_->events.Close();
  impl_->http->stop();
}

Result<std::unique_ptr<SyncServer>> SyncServer::Start(const ServerOptions& o) {
  if (!o.tls && !IsLoopback(o.host)) {
    return Fail(ErrorCode::kInvalidArgument,
                "refusing to serve {} without TLS: anyone on that network could read and write "
                "this store (add --tls, or listen on 127.0.0.1)",
                o.host);
  }
  if (o.trust == Trust::kTailnet && (o.tls || !IsLoopback(o.host))) {
    return Fail(ErrorCode::kInvalidArgument,
                "--trust tailnet needs a plain loopback --listen (tailscale serve terminates TLS "
                "and connects to it), and no --tls");
  }
  auto impl = std::make_unique<Impl>();
  impl->options = o;
  impl->waiters = std::make_unique<WaiterCap>(o.max_sessions);
  impl->sessions = std::make_unique<SessionTable>(
      o.max_sessions, o.session_idle, [self = impl.get()](const std::string& l) { self->Log(l); });
  WEFT_ASSIGN_OR_RETURN(impl->main, OpenStore(o.store_dir, Store::Access::kReadWrite, SystemMillis,
                                              nullptr, o.busy_timeout));
  WEFT_ASSIGN_OR_RETURN(DeviceIdentity id, DeviceIdentity::LoadOrCreate(
                                               impl->main->dir(), impl->main->instance_name()));
  impl->device_id = id.id().ToString();
  impl->identity.emplace(std::move(id));
  if (o.tls) {
    const DeviceIdentity& me = *impl->identity;
    impl->http = std::make_unique<httplib::SSLServer>(
        [&me](SSL_CTX& ctx) { return ConfigureServerTls(ctx, me); });
    if (!impl->http->is_valid()) {
      return Fail(ErrorCode::kIo, "cannot set up TLS with this device's key: {}", OpenSslError());
    }
  } else {
    impl->http = std::make_unique<httplib::Server>();
  }
  Impl* self = impl.get();
  httplib::Server& http = *impl->http;
  const std::size_t threads = o.max_sessions * 2 + 8;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(o.max_body_bytes);
  http.set_read_timeout(o.io_timeout);
  http.set_write_timeout(o.io_timeout);
  http.set_keep_alive_timeout(5);
  http.set_tcp_nodelay(true);
  // SO_REUSEADDR (a restart may bind while old connections linger in TIME_WAIT),
  // but not httplib's default SO_REUSEPORT, which let a second server bind the
  // same port and share its connections.
  http.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });  // see HttpPeer: no Nagle stall per round trip
  http.set_logger([self](const httplib::Request&, const httplib::Response& res) {
    self->Count("requests");
    if (res.status < 400) return;
    std::string why = res.get_header_value(kHeaderRefusal);
    if (why.empty()) {
      why = res.status == 413 ? "too_large" : res.status == 404 ? "not_found" : "bad_request";
      self->Log(fmt::format("refused ({} {})", res.status, why));
    }
    self->Count(why);
  });
  http.set_exception_handler(
      [self](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        self->Refuse(res, {500, "server_error", "the server failed while answering"});
      });
  http.set_pre_routing_handler([self](const httplib::Request& q, httplib::Response& r) {
    if (!FromAnotherSite(q)) return httplib::Server::HandlerResponse::Unhandled;
    self->Refuse(r, {403, "forbidden",
                     fmt::format("{} answers no request a browser sends from another site ({})",
                                 self->Name(), q.get_header_value("Origin"))});
    return httplib::Server::HandlerResponse::Handled;
  });
  if (o.mount) {
    o.mount(http, [self](const httplib::Request& q) -> std::optional<std::string> {
      auto caller = self->Identify(q);
      if (auto* c = std::get_if<Caller>(&caller)) return c->identity;
      return std::nullopt;
    });
  }
  http.Get("/v1/health",
           [self](const httplib::Request& q, httplib::Response& r) { self->HandleHealth(q, r); });
  http.Get("/v1/events",
           [self](const httplib::Request& q, httplib::Response& r) { self->HandleEvents(q, r); });
  http.Post("/v1/eval",
            [self](const httplib::Request& q, httplib::Response& r) { self->HandleEval(q, r); });
  http.Delete("/v1/sync", [self](const httplib::Request& q, httplib::Response& r) {
    self->HandleEndSession(q, r);
  });
  http.Post("/v1/sync",
            [self](const httplib::Request& q, httplib::Response& r) { self->HandleSync(q, r); });
  if (o.port == 0) {
    impl->port = http.bind_to_any_port(o.host);
  } else {
    impl->port = http.bind_to_port(o.host, o.port) ? o.port : -1;
  }
  if (impl->port <= 0) {
    return Fail(ErrorCode::kIo, "cannot listen on {}:{} (is another server using it?)", o.host,
                o.port);
  }
  impl->watcher = std::thread([self] { self->Watch(); });
  return std::unique_ptr<SyncServer>(new SyncServer(std::move(impl)));
}

}  // namespace weft::net
