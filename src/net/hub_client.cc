#include "net/hub_client.h"

#include <fcntl.h>
#include <httplib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/release.h"
#include "net/http_guard.h"
#include "net/hub_wire.h"
#include "net/wire_headers.h"

namespace weft::net {

struct HubClient::Impl {
  PeerUrl url;
  HubClientOptions o;
  std::unique_ptr<httplib::ClientImpl> plain;
  std::unique_ptr<httplib::SSLClient> tls;
  httplib::ClientImpl& client() { return tls ? *tls : *plain; }

  httplib::Headers Headers() const {
    return {{"Authorization", "Bearer " + o.token}, {"User-Agent", "weft"}};
  }

  // The error an answer that is not 2xx stands for, in one sentence.
  Error Refused(const httplib::Result& r) const {
    if (!r && r.error() == httplib::Error::SSLServerVerification) {
      // A hub this machine cannot trust is refused, not unreachable: trying
      // again would not help.
      return Error(ErrorCode::kPermissionDenied,
                   fmt::format("the hub {} at {} presented a certificate this machine does not "
                               "trust (not signed by a known authority, or not for this host); "
                               "SSL_CERT_FILE names another authorities' bundle",
                               o.label, url.text));
    }
    if (!r && r.error() == httplib::Error::SSLConnection) {
      return Error(ErrorCode::kUnavailable,
                   fmt::format("the TLS handshake with the hub {} at {} failed (is it a plain "
                               "http server? then its URL starts with http://)",
                               o.label, url.text));
    }
    if (!r) {
      return Error(ErrorCode::kUnavailable,
                   fmt::format("cannot reach the hub {} at {}: {}", o.label, url.text,
                               httplib::to_string(r.error())));
    }
    std::string why = r->get_header_value(kHeaderRefusal);
    std::string sentence = OneLine(r->body);
    if (r->get_header_value("Content-Type").starts_with("application/json")) {
      auto doc = nlohmann::json::parse(r->body, nullptr, false);
      if (doc.is_object() && doc.contains("error") && doc["error"].is_string()) {
        sentence = doc["error"].get<std::string>();
      }
    }
    if (sentence.size() > 300) sentence = sentence.substr(0, 300);
    const std::string text = fmt::format("the hub {} refused: {}", o.label, sentence);
    switch (r->status) {
      case 401:
      case 403:
        return Error(ErrorCode::kPermissionDenied, text);
      case 404:
        return Error(ErrorCode::kNotFound, text);
      case 409:
        return Error(ErrorCode::kVersionMismatch, text);
      case 413:
      case 422:
        return Error(ErrorCode::kProtocol, text);
      case 429:
      case 503:
        return Error(ErrorCode::kUnavailable, text);
      case 507:
        return Error(ErrorCode::kFailedPrecondition, text);
      default:
        return Error(ErrorCode::kProtocol, text + (why.empty() ? "" : " (" + why + ")"));
    }
  }

  // Sends `send` until it answers, is refused for good, or the deadline passes:
  // 429 and 503 (and an unreachable hub) wait a second and go again.
  template <typename Send>
  httplib::Result Retrying(Send send, std::size_t& trips) {
    for (;;) {
      auto r = send();
      ++trips;
      const bool again =
          r ? (r->status == 429 || r->status == 503)
            : o.retry_unreachable && r.error() != httplib::Error::SSLServerVerification;
      if (!again || std::chrono::steady_clock::now() + std::chrono::seconds(1) >= o.deadline) {
        return r;
      }
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
};

HubClient::HubClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HubClient::~HubClient() = default;

Result<std::unique_ptr<HubClient>> HubClient::Open(const PeerUrl& url, HubClientOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->url = url;
  impl->o = std::move(options);
  if (url.tls) {
    // The hub's certificate is checked against this system's certificate
    // authorities (OpenSSL's default paths; SSL_CERT_FILE names another).
    impl->tls = std::make_unique<httplib::SSLClient>(url.host, url.port);
    impl->tls->enable_server_certificate_verification(true);
    SSL_CTX_set_default_verify_paths(impl->tls->ssl_context());
  } else {
    impl->plain = std::make_unique<httplib::ClientImpl>(url.host, url.port);
  }
  auto& c = impl->client();
  c.set_keep_alive(true);
  c.set_tcp_nodelay(true);
  c.set_connection_timeout(std::chrono::seconds(5));
  c.set_write_timeout(std::chrono::seconds(30));
  c.set_read_timeout(std::chrono::seconds(kHubMaxWaitS + 10));
  return std::unique_ptr<HubClient>(new HubClient(std::move(impl)));
}

namespace {

std::int64_t HeaderInt(const httplib::Response& r, const char* name) {
  try {
    return std::stoll(r.get_header_value(name));
  } catch (...) {
    return -1;
  }
}

}  // namespace

void HubClient::Cancel() { impl_->client().stop(); }

Result<HubPage> HubClient::Peek(std::int64_t after, const std::string& epoch, int wait_s) {
  return Fetch(after, std::nullopt, epoch, wait_s, true, 0, std::nullopt);
}

Result<HubPage> HubClient::Pull(std::int64_t after, const std::optional<ChangeHash>& at,
                                const std::string& epoch, int wait_s, std::int64_t seen,
                                const std::optional<ChangeHash>& seen_at) {
  return Fetch(after, at, epoch, wait_s, false, seen, seen_at);
}

Result<HubPage> HubClient::Fetch(std::int64_t after, const std::optional<ChangeHash>& at,
                                 const std::string& epoch, int wait_s, bool peek, std::int64_t seen,
                                 const std::optional<ChangeHash>& seen_at) {
  Impl& m = *impl_;
  httplib::Params params{{"after", std::to_string(after)}};
  if (peek) params.emplace("peek", "1");
  if (seen > 0 && seen_at) params.emplace("seen", std::to_string(seen) + ":" + seen_at->Hex());
  if (at) params.emplace("at", at->Hex());
  if (!epoch.empty()) params.emplace("epoch", epoch);
  if (wait_s > 0) params.emplace("wait", std::to_string(wait_s));
  const std::string path = httplib::append_query_params(HubPath(m.o.tenant, "changes"), params);
  auto r = m.Retrying([&] { return m.client().Get(path, m.Headers()); }, round_trips_);
  HubPage page;
  if (r && r->status == 410) {
    page.history_changed = true;
    page.epoch = r->get_header_value(kHubEpoch);
    page.latest = HeaderInt(*r, kHubLatest);
    return page;
  }
  if (!r || r->status != 200) return Fail(m.Refused(r));
  page.epoch = r->get_header_value(kHubEpoch);
  page.latest = HeaderInt(*r, kHubLatest);
  page.through = HeaderInt(*r, kHubThrough);
  page.more = r->get_header_value(kHubMore) == "1";
  if (page.epoch.empty() || page.latest < 0 || page.through < 0) {
    return Fail(ErrorCode::kProtocol, "the hub {} answered a pull without its position", m.o.label);
  }
  page.bytes = r->body.size();
  WEFT_ASSIGN_OR_RETURN(page.message, sync::DecodeMessage(AsBytes(r->body), kRelease));
  return page;
}

Result<HubPushAnswer> HubClient::Push(const sync::Message& msg) {
  Impl& m = *impl_;
  const Bytes body = sync::EncodeMessage(msg);
  const std::string path = HubPath(m.o.tenant, "changes");
  auto r = m.Retrying(
      [&] {
        return m.client().Post(path, m.Headers(), reinterpret_cast<const char*>(body.data()),
                               body.size(), "application/octet-stream");
      },
      round_trips_);
  HubPushAnswer a;
  if (r && (r->status == 422 || r->status == 200)) {
    auto doc = nlohmann::json::parse(r->body, nullptr, false);
    if (!doc.is_object()) {
      return Fail(ErrorCode::kProtocol, "the hub {} answered a push with no JSON", m.o.label);
    }
    a.accepted = doc.value("accepted", std::size_t{0});
    a.duplicates = doc.value("duplicates", std::size_t{0});
    a.latest = doc.value("latest", std::int64_t{0});
    a.epoch = doc.value("epoch", std::string());
    if (auto last = ChangeHash::FromHex(doc.value("last", std::string())); last) a.last = *last;
    a.refusal = doc.value("refusal", std::string());
    a.sentence = doc.value("error", std::string());
    return a;
  }
  return Fail(m.Refused(r));
}

Result<HubClock> HubClient::Clock() {
  Impl& m = *impl_;
  auto r = m.Retrying([&] { return m.client().Get(HubPath(m.o.tenant, "clock"), m.Headers()); },
                      round_trips_);
  if (!r || r->status != 200) return Fail(m.Refused(r));
  WEFT_ASSIGN_OR_RETURN(sync::Message msg, sync::DecodeMessage(AsBytes(r->body), kRelease));
  if (!msg.hello) {
    return Fail(ErrorCode::kProtocol, "the hub {} answered its clock without one", m.o.label);
  }
  HubClock c;
  c.epoch = r->get_header_value(kHubEpoch);
  c.latest = HeaderInt(*r, kHubLatest);
  c.hello = std::move(*msg.hello);
  c.heads = std::move(msg.heads);
  return c;
}

Result<std::string> ReadTokenFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return Fail(ErrorCode::kNotFound, "cannot read the token file {}: {}", path,
                std::strerror(errno));
  }
  struct stat st {};
  std::string text;
  Status verdict = [&]() -> Status {
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      return Fail(ErrorCode::kInvalidArgument, "the token file {} is not a regular file", path);
    }
    if ((st.st_mode & 077) != 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "the token file {} may be read by others (mode {:o}): chmod 600 it", path,
                  st.st_mode & 0777);
    }
    if (st.st_size > 4096) {
      return Fail(ErrorCode::kInvalidArgument, "the token file {} is over 4 KiB", path);
    }
    text.resize(static_cast<std::size_t>(st.st_size));
    const ssize_t n = ::read(fd, text.data(), text.size());
    if (n < 0) return Fail(ErrorCode::kIo, "cannot read the token file {}", path);
    text.resize(static_cast<std::size_t>(n));
    return {};
  }();
  ::close(fd);
  WEFT_TRY(verdict);
  if (auto nl = text.find_first_of("\r\n"); nl != std::string::npos) text.resize(nl);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  if (text.empty()) return Fail(ErrorCode::kInvalidArgument, "the token file {} is empty", path);
  return text;
}

}  // namespace weft::net
