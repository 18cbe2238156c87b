// Who may use the dashboard, and the checks on each request (docs/design/web.md):
//   - a caller `weft serve` already lets in (plain loopback; a registered device
//     over TLS; a tailnet login), or a browser holding the login cookie that
//     `weft dashboard token` leads to (HttpOnly, SameSite=Strict, Secure on TLS);
//   - on plain loopback, a Host header that names a loopback address (a page of
//     another site whose name was re-pointed at 127.0.0.1 is not this server);
//   - on every request that changes state, the CSRF token this server gave the
//     page (GET /v1/session), in the X-Weft-CSRF header;
//   - and on every answer, a strict Content-Security-Policy.
#pragma once

#include <httplib.h>

#include <chrono>
#include <string>

#include "net/sync_server.h"

namespace weft::web {

constexpr const char* kLoginCookie = "weft_login";
constexpr const char* kCsrfHeader = "X-Weft-CSRF";

class Gate {
 public:
  Gate(std::string store_dir, std::chrono::milliseconds busy_timeout, net::ServerOptions::Who who);

  // True when `req` may read (and with `changes_state`, write); otherwise the
  // refusal (401, 403) is written to `res`.
  bool Admit(const httplib::Request& req, httplib::Response& res, bool changes_state);
  // True when `req` carries the current login token in its cookie.
  bool LoggedIn(const httplib::Request& req) const;
  // Checks a token a person typed; on success sets the cookie on `res`.
  bool LogIn(const httplib::Request& req, const std::string& token, httplib::Response& res) const;
  void LogOut(httplib::Response& res) const;
  // Who `req` is, as GET /v1/session tells the page: a device, "loopback",
  // "tailnet:LOGIN", "login" (the cookie) or "" (nobody).
  std::string Identity(const httplib::Request& req) const;
  const std::string& csrf() const { return csrf_; }

 private:
  std::string store_dir_;
  std::chrono::milliseconds busy_timeout_;
  net::ServerOptions::Who who_;
  std::string csrf_;  // one per server run, from the CSPRNG
};

// The headers every dashboard answer carries (CSP, no sniffing, no referrer,
// no framing; `no-store` unless `cacheable`).
void SecureHeaders(httplib::Response& res, bool cacheable = false);
// A refusal or failure: the status and one sentence, as the sync routes answer.
void Answer(httplib::Response& res, int status, const std::string& sentence);

// True when `req` carries the current login token of the store at `store_dir`.
bool LoginCookieValid(const std::string& store_dir, std::chrono::milliseconds busy_timeout,
                      const httplib::Request& req);

// The cookie named `name` of `req`, or "".
std::string CookieOf(const httplib::Request& req, const std::string& name);

}  // namespace weft::web
