#include "net/http_peer.h"

#include <httplib.h>
#include <openssl/ssl.h>

#include <charconv>
#include <random>
#include <thread>

#include "core/release.h"
#include "net/batch.h"
#include "net/sync_server.h"
#include "net/wire_headers.h"

namespace weft::net {
namespace {

constexpr int kDefaultPort = 7420;
constexpr int kMaxReadRetries = 3;
// What we read of an answer at most: a sync message is 4 MiB before compression,
// a batch of them at most kMaxBatchBytes; a server that sends more is refused,
// never buffered.
constexpr std::size_t kMaxReplyBytes = 16u << 20;

// What the server's certificate said, for the sentence when it is the wrong one.
struct PinCheck {
  DeviceId expected;
  std::string seen;
  bool mismatch = false;
};

int VerifyPinned(X509_STORE_CTX* ctx, void* arg) {
  auto* pin = static_cast<PinCheck*>(arg);
  auto id = DeviceId::OfCertificate(X509_STORE_CTX_get0_cert(ctx));
  pin->seen = id ? id->ToString() : "(no usable key)";
  if (id && *id == pin->expected) return 1;
  pin->mismatch = true;
  X509_STORE_CTX_set_error(ctx, X509_V_ERR_APPLICATION_VERIFICATION);
  return 0;
}

std::string Trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

bool LooksLikeUrl(const std::string& address) {
  return address.starts_with("http://") || address.starts_with("https://");
}

Result<PeerUrl> ParsePeerUrl(const std::string& address) {
  auto bad = [&](std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument, "'{}' is not a peer URL: {}", address, why);
  };
  PeerUrl u;
  std::string rest;
  if (address.starts_with("https://")) {
    u.tls = true;
    rest = address.substr(8);
  } else if (address.starts_with("http://")) {
    rest = address.substr(7);
  } else {
    return bad("it must start with http:// or https://");
  }
  if (rest.ends_with("/")) rest.pop_back();
  if (rest.find('/') != std::string::npos || rest.find('@') != std::string::npos ||
      rest.find('?') != std::string::npos) {
    return bad("only scheme://HOST[:PORT] is allowed");
  }
  std::string port;
  if (rest.starts_with("[")) {  // [::1]:7420
    auto close = rest.find(']');
    if (close == std::string::npos) return bad("an IPv6 address needs its closing ]");
    u.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad("expected :PORT after the address");
      port = rest.substr(close + 2);
    }
  } else {
    auto colon = rest.rfind(':');
    u.host = rest.substr(0, colon);
    if (colon != std::string::npos) port = rest.substr(colon + 1);
  }
  if (u.host.empty()) return bad("it has no host");
  u.port = kDefaultPort;
  if (!port.empty()) {
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) {
      return bad("the port must be a number");
    }
    u.port = std::stoi(port);
    if (u.port < 1 || u.port > 65535) return bad("the port must be between 1 and 65535");
  }
  if (!u.tls && !IsLoopback(u.host)) {
    return bad("plain http is for this machine only (127.0.0.1, localhost); use https://");
  }
  const std::string host = u.host.find(':') != std::string::npos ? "[" + u.host + "]" : u.host;
  u.text = fmt::format("{}://{}:{}", u.tls ? "https" : "http", host, u.port);
  return u;
}

class HttpPeer::Impl {
 public:
  PeerUrl url;
  HttpPeerOptions options;
  std::unique_ptr<httplib::ClientImpl> plain;
  std::unique_ptr<httplib::SSLClient> tls;
  PinCheck pin;
  bool pinned = false;
  std::string session_id;
  std::uint64_t seq = 0;
  std::mt19937_64 rng{std::random_device{}()};

  httplib::ClientImpl& client() { return tls ? static_cast<httplib::ClientImpl&>(*tls) : *plain; }

  // "desktop at https://…", or the URL alone when it is the peer's only name.
  std::string Who() const {
    return options.label == url.text ? url.text : options.label + " at " + url.text;
  }

  Error TransportError(httplib::Error e) const {
    if (oversized) {
      return Error(ErrorCode::kProtocol,
                   fmt::format("{} sent an answer larger than {} MiB; refused", Who(),
                               kMaxReplyBytes >> 20));
    }
    if (pinned && pin.mismatch) {
      return Error(ErrorCode::kPermissionDenied,
                   fmt::format("{} at {} presented device id {}, not the registered {}; if it was "
                               "re-installed, register it again: weft peer rm {} && weft peer add "
                               "{} {} --id {}",
                               options.label, url.text, pin.seen, options.device_id, options.label,
                               options.label, url.text, pin.seen));
    }
    if (e == httplib::Error::SSLConnection || e == httplib::Error::SSLServerVerification) {
      return Error(ErrorCode::kUnavailable,
                   fmt::format("{}: the TLS handshake failed (is it a plain http server? "
                               "then its URL starts with http://)",
                               Who()));
    }
    if (e == httplib::Error::Read && !url.tls) {
      return Error(ErrorCode::kUnavailable,
                   fmt::format("{} closed the connection without an HTTP answer (is it a "
                               "TLS server? then its URL starts with https://)",
                               Who()));
    }
    const char* why = e == httplib::Error::Connection          ? "nothing answered there"
                      : e == httplib::Error::ConnectionTimeout ? "the connection timed out"
                      : e == httplib::Error::Read     ? "the connection broke while reading"
                      : e == httplib::Error::Write    ? "the connection broke while writing"
                      : e == httplib::Error::Canceled ? "the request was cancelled"
                                                      : nullptr;
    return Error(ErrorCode::kUnavailable,
                 fmt::format("{} is not reachable at {}: {}", options.label, url.text,
                             why != nullptr ? std::string(why) : httplib::to_string(e)));
  }

  // An HTTP refusal as an Error carrying the server's sentence.
  Error Refused(const httplib::Response& res) const {
    const std::string said = Trimmed(res.body.substr(0, 600));
    const std::string refusal = res.get_header_value(kHeaderRefusal);
    if (refusal == "missing_changes") return Error(ErrorCode::kMissingChanges, said);
    if (refusal == "evaluation_error") return Error(ErrorCode::kEvaluation, said);
    if (refusal == "not_found") {
      return Error(ErrorCode::kNotFound, fmt::format("{}: {}", options.label, said));
    }
    switch (res.status) {
      case 403:
        return Error(ErrorCode::kPermissionDenied, said);
      case 409:
        return Error(ErrorCode::kVersionMismatch, said);
      case 410:
        return Error(ErrorCode::kUnavailable, fmt::format("{}: {}", options.label, said));
      case 413:
        return Error(ErrorCode::kProtocol,
                     fmt::format("{} refused a message as too large (HTTP 413)", options.label));
      case 503:
        return Error(res.get_header_value(kHeaderRefusal) == "busy" ? ErrorCode::kBusy
                                                                    : ErrorCode::kUnavailable,
                     fmt::format("{}: {}", options.label, said));
      case 400:
        return Error(ErrorCode::kProtocol,
                     fmt::format("{} refused our message: {}", options.label, said));
      default:
        return Error(res.status >= 500 ? ErrorCode::kIo : ErrorCode::kProtocol,
                     fmt::format("{} answered HTTP {}: {}", options.label, res.status,
                                 said.empty() ? "(no reason given)" : said));
    }
  }

  // Sends one request, retrying connection failures (and a full server) with
  // jittered exponential backoff until the deadline.
  template <typename Send>
  Result<httplib::Response> WithRetries(Send send) {
    auto backoff = std::chrono::milliseconds(100);
    int read_failures = 0;
    while (true) {
      const auto left = options.deadline - std::chrono::steady_clock::now();
      if (left <= std::chrono::milliseconds(0)) {
        return Fail(ErrorCode::kTimeout, "{} did not answer before the timeout", options.label);
      }
      client().set_read_timeout(
          std::max<std::chrono::steady_clock::duration>(left, std::chrono::seconds(1)));
      pin.mismatch = false;
      httplib::Result r = send();
      bool retry = false;
      Error failure(ErrorCode::kUnavailable, "");
      if (r) {
        if (r->status != 503 || r->get_header_value(kHeaderRefusal) != "too_many_sessions") {
          return *r;
        }
        retry = true;
        failure = Refused(*r);
      } else {
        failure = TransportError(r.error());
        const httplib::Error e = r.error();
        retry = failure.code() == ErrorCode::kUnavailable &&
                (e == httplib::Error::Connection || e == httplib::Error::ConnectionTimeout ||
                 e == httplib::Error::Write ||
                 (e == httplib::Error::Read && ++read_failures <= kMaxReadRetries));
      }
      std::uniform_int_distribution<long> jitter(backoff.count() / 2, backoff.count());
      // The last wait is cut short, so the last try is at the deadline, not before it.
      const auto left_now = std::chrono::duration_cast<std::chrono::milliseconds>(
          options.deadline - std::chrono::steady_clock::now() - std::chrono::milliseconds(20));
      const auto wait = std::min(std::chrono::milliseconds(jitter(rng)), left_now);
      if (!retry || (!r && !options.retry_unreachable) || wait <= std::chrono::milliseconds(0)) {
        return Fail(failure);
      }
      std::this_thread::sleep_for(wait);
      backoff = std::min(backoff * 2, std::chrono::milliseconds(2000));
    }
  }

  // One request whose answer is read up to kMaxReplyBytes; more cancels it.
  httplib::Result Send(const char* method, const char* path, httplib::Headers headers,
                       const std::string& body) {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(headers);
    if (!body.empty() || std::string_view(method) == "POST") {
      req.body = body;
      if (!req.has_header("Content-Type")) {
        req.set_header("Content-Type", std::string_view(path) == "/v1/eval"
                                           ? "application/json"
                                           : "application/octet-stream");
      }
    }
    auto received = std::make_shared<std::string>();
    oversized = false;
    req.content_receiver = [this, received](const char* data, std::size_t n, std::uint64_t,
                                            std::uint64_t) {
      if (received->size() + n > kMaxReplyBytes) {
        oversized = true;
        return false;
      }
      received->append(data, n);
      return true;
    };
    httplib::Result r = client().send(req);
    if (r) r.value().body = std::move(*received);
    return r;
  }
  bool oversized = false;
  bool session_lost = false;
  bool server_takes_batches = false;  // its answers said so

  httplib::Headers BaseHeaders() const {
    httplib::Headers h;
    if (!url.tls && options.identity != nullptr) {
      h.emplace(kHeaderDevice, options.identity->id().ToString());
    }
    return h;
  }
};

HttpPeer::HttpPeer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpPeer::~HttpPeer() = default;

Result<std::unique_ptr<HttpPeer>> HttpPeer::Open(const PeerUrl& url, HttpPeerOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->url = url;
  impl->options = std::move(options);
  const HttpPeerOptions& o = impl->options;
  if (url.tls) {
    if (o.identity == nullptr) {
      return Fail(ErrorCode::kInvalidArgument, "an https peer needs this device's identity");
    }
    impl->tls = std::make_unique<httplib::SSLClient>(url.host, url.port, o.identity->certificate(),
                                                     o.identity->key());
    if (!impl->tls->is_valid()) {
      return Fail(ErrorCode::kIo, "cannot set up TLS with this device's key: {}", OpenSslError());
    }
    SSL_CTX* ctx = impl->tls->ssl_context();
    SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
    if (!o.device_id.empty()) {
      WEFT_ASSIGN_OR_RETURN(impl->pin.expected, DeviceId::Parse(o.device_id));
      impl->pinned = true;
      // Our check replaces the certificate authorities and the host name: the
      // device id is the server's whole identity.
      impl->tls->enable_server_certificate_verification(false);
      SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
      SSL_CTX_set_cert_verify_callback(ctx, VerifyPinned, &impl->pin);
    }
  } else {
    impl->plain = std::make_unique<httplib::ClientImpl>(url.host, url.port);
  }
  httplib::ClientImpl& c = impl->client();
  c.set_keep_alive(true);
  // A request's headers and body go out in separate writes: without this, Nagle's
  // algorithm and the peer's delayed ACK hold each round trip for ~40 ms.
  c.set_tcp_nodelay(true);
  c.set_connection_timeout(std::chrono::seconds(5));
  c.set_write_timeout(std::chrono::seconds(30));
  impl->session_id = ActorId::Random().Hex().substr(0, 32);
  return std::unique_ptr<HttpPeer>(new HttpPeer(std::move(impl)));
}

bool HttpPeer::session_lost() const { return impl_->session_lost; }

void HttpPeer::Cancel() { impl_->client().stop(); }

void HttpPeer::EndSession() {
  Impl& m = *impl_;
  if (m.seq == 0 || m.session_lost) return;
  httplib::Headers headers = m.BaseHeaders();
  headers.emplace(kHeaderSession, m.session_id);
  m.client().set_read_timeout(std::chrono::seconds(2));
  m.client().set_connection_timeout(std::chrono::seconds(2));
  (void)m.Send("DELETE", "/v1/sync", headers, "");
  m.seq = 0;
}

Result<Health> HttpPeer::GetHealth() {
  Impl& m = *impl_;
  WEFT_ASSIGN_OR_RETURN(httplib::Response res, m.WithRetries([&] {
    return m.Send("GET", "/v1/health", m.BaseHeaders(), "");
  }));
  if (res.status != 200) return Fail(m.Refused(res));
  nlohmann::json doc = nlohmann::json::parse(res.body, nullptr, false);
  // The Release first: another Release's document may differ in everything else.
  if (doc.is_object() && doc.contains("release") && doc["release"].is_number_integer() &&
      doc["release"].get<std::int64_t>() != kRelease) {
    const auto theirs = doc["release"].get<std::int64_t>();
    return Fail(ErrorCode::kVersionMismatch, "{} is on Release {}, you are on {}: {}",
                m.options.label, theirs, kRelease,
                theirs > kRelease ? "upgrade weft here" : "upgrade weft there");
  }
  auto health = HealthFromJson(doc);
  if (!health) {
    return Fail(ErrorCode::kProtocol, "{} answered /v1/health with something else: {}",
                m.options.label, health.error().message());
  }
  return health;
}

bool HttpPeer::TakesBatches() const { return impl_->server_takes_batches; }

Result<Reply> HttpPeer::RoundTrip(std::vector<Bytes> ours) {
  Impl& m = *impl_;
  httplib::Headers headers = m.BaseHeaders();
  headers.emplace(kHeaderSession, m.session_id);
  headers.emplace(kHeaderSeq, std::to_string(++m.seq));
  headers.emplace(kHeaderBatch, "1");
  if (m.options.pull) headers.emplace(kHeaderMode, "pull");
  std::string body;
  if (ours.size() > 1) {
    headers.emplace("Content-Type", kBatchContentType);
    body = EncodeBatch(ours);
  } else if (ours.size() == 1) {
    body.assign(ours.front().begin(), ours.front().end());
  }
  ours.clear();
  WEFT_ASSIGN_OR_RETURN(httplib::Response res,
                        m.WithRetries([&] { return m.Send("POST", "/v1/sync", headers, body); }));
  if (res.status == 410) m.session_lost = true;
  if (res.status != 200 && res.status != 204) return Fail(m.Refused(res));
  Reply r;
  const bool batch = res.get_header_value(kHeaderBatch) == "1";
  m.server_takes_batches = m.server_takes_batches || batch;
  if (res.status == 200) {
    auto frames =
        MessagesOfBody(res.get_header_value("Content-Type"), res.body, kMaxBatchMessages + 1);
    if (!frames) {
      return Fail(ErrorCode::kProtocol, "{} sent a malformed sync batch: {}", m.options.label,
                  frames.error().message());
    }
    for (const ByteView& f : *frames) r.messages.emplace_back(f.begin(), f.end());
  }
  r.more = res.get_header_value(kHeaderMore) != "0";
  const std::string applied = res.get_header_value(kHeaderApplied);
  if (!applied.empty()) {
    auto [end, ec] = std::from_chars(applied.data(), applied.data() + applied.size(), r.applied);
    if (ec != std::errc() || end != applied.data() + applied.size()) {
      return Fail(ErrorCode::kProtocol, "{} sent a malformed {} header", m.options.label,
                  kHeaderApplied);
    }
  }
  r.carried = res.get_header_value(kHeaderCarried) == "1";
  r.progressed = res.get_header_value(kHeaderProgressed) == "1";
  for (std::size_t i = 0; i < res.get_header_value_count(kHeaderProblem); ++i) {
    r.problems.push_back(res.get_header_value(kHeaderProblem, i));
  }
  for (std::size_t i = 0; i < res.get_header_value_count(kHeaderNotice); ++i) {
    r.notices.push_back(res.get_header_value(kHeaderNotice, i));
  }
  return r;
}

}  // namespace weft::net

namespace weft::net {

Result<RemoteEvalAnswer> HttpPeer::Eval(const RemoteEvalRequest& request) {
  Impl& m = *impl_;
  const std::string body = RemoteEvalRequestToJson(request).dump();
  WEFT_ASSIGN_OR_RETURN(httplib::Response res, m.WithRetries([&] {
    return m.Send("POST", "/v1/eval", m.BaseHeaders(), body);
  }));
  if (res.status != 200) return Fail(m.Refused(res));
  auto answer = RemoteEvalAnswerFromJson(nlohmann::json::parse(res.body, nullptr, false));
  if (!answer) {
    return Fail(ErrorCode::kProtocol, "{} answered /v1/eval with something else: {}",
                m.options.label, answer.error().message());
  }
  return answer;
}

Result<EventBatch> HttpPeer::WaitForEvents(std::uint64_t after, std::chrono::seconds wait) {
  Impl& m = *impl_;
  const std::string path = fmt::format("/v1/events?after={}&wait={}", after, wait.count());
  WEFT_ASSIGN_OR_RETURN(httplib::Response res, m.WithRetries([&] {
    return m.Send("GET", path.c_str(), m.BaseHeaders(), "");
  }));
  if (res.status != 200) return Fail(m.Refused(res));
  auto batch = EventBatchFromJson(nlohmann::json::parse(res.body, nullptr, false));
  if (!batch) {
    return Fail(ErrorCode::kProtocol, "{} answered /v1/events with something else: {}",
                m.options.label, batch.error().message());
  }
  return batch;
}

}  // namespace weft::net
