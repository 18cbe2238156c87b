#include "web/gate.h"

#include <openssl/crypto.h>

#include "fold/open.h"
#include "net/http_guard.h"
#include "net/wire_headers.h"
#include "workspace/dashboard_login.h"

namespace weft::web {
namespace {

// The host part of a Host header: "127.0.0.1:7420" → "127.0.0.1", "[::1]:80" → "::1".
std::string HostPart(const std::string& host) {
  if (host.starts_with("[")) {
    const auto end = host.find(']');
    return end == std::string::npos ? host : host.substr(1, end - 1);
  }
  return host.substr(0, host.find(':'));
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string CookieOf(const httplib::Request& req, const std::string& name) {
  const std::string all = req.get_header_value("Cookie");
  std::size_t at = 0;
  while (at < all.size()) {
    std::size_t end = all.find(';', at);
    if (end == std::string::npos) end = all.size();
    std::string pair = all.substr(at, end - at);
    const auto first = pair.find_first_not_of(' ');
    pair = first == std::string::npos ? "" : pair.substr(first);
    if (pair.starts_with(name + "=")) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

void SecureHeaders(httplib::Response& res, bool cacheable) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                 "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cache-Control", cacheable ? "no-cache" : "no-store");
}

void Answer(httplib::Response& res, int status, const std::string& sentence) {
  res.status = status;
  SecureHeaders(res);
  res.set_content(net::OneLine(sentence) + "\n", "text/plain; charset=utf-8");
}

Gate::Gate(std::string store_dir, std::chrono::milliseconds busy_timeout,
           net::ServerOptions::Who who)
    : store_dir_(std::move(store_dir)),
      busy_timeout_(busy_timeout),
      who_(std::move(who)),
      csrf_(ActorId::Random().Hex() + ActorId::Random().Hex()) {}

namespace {

bool TokenValid(const std::string& store_dir, std::chrono::milliseconds busy_timeout,
                const std::string& token) {
  if (token.empty()) return false;
  auto store = OpenStore(store_dir, Store::Access::kReadOnly, SystemMillis, nullptr, busy_timeout);
  if (!store) return false;
  auto ok = workspace::IsDashboardToken(**store, token);
  return ok && *ok;
}

}  // namespace

bool LoginCookieValid(const std::string& store_dir, std::chrono::milliseconds busy_timeout,
                      const httplib::Request& req) {
  return TokenValid(store_dir, busy_timeout, CookieOf(req, kLoginCookie));
}

bool Gate::LoggedIn(const httplib::Request& req) const {
  return LoginCookieValid(store_dir_, busy_timeout_, req);
}

std::string Gate::Identity(const httplib::Request& req) const {
  if (auto who = who_(req)) return *who;
  return LoggedIn(req) ? "login" : "";
}

bool Gate::Admit(const httplib::Request& req, httplib::Response& res, bool changes_state) {
  const std::string who = Identity(req);
  if (who.empty()) {
    Answer(res, 401,
           "this dashboard needs a login from another machine: run `weft dashboard token` on it "
           "and enter the token");
    return false;
  }
  if (who == "loopback" && !net::IsLoopback(HostPart(req.get_header_value("Host")))) {
    Answer(res, 403,
           "this dashboard answers only requests addressed to a loopback name (127.0.0.1, "
           "localhost, [::1])");
    return false;
  }
  if (changes_state && !SameSecret(req.get_header_value(kCsrfHeader), csrf_)) {
    Answer(res, 403,
           "this request changes the store and lacks the page's CSRF token; reload the page");
    return false;
  }
  return true;
}

bool Gate::LogIn(const httplib::Request& req, const std::string& token,
                 httplib::Response& res) const {
  if (!TokenValid(store_dir_, busy_timeout_, token)) return false;
  const bool tls = req.ssl != nullptr;
  res.set_header("Set-Cookie", fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}",
                                           kLoginCookie, token, tls ? "; Secure" : ""));
  return true;
}

void Gate::LogOut(httplib::Response& res) const {
  res.set_header("Set-Cookie",
                 fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0", kLoginCookie));
}

}  // namespace weft::web
