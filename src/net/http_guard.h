// Checks every HTTP route of `weft serve` shares: which addresses are loopback,
// and which requests a browser sent from another site.
#pragma once

#include <string>

namespace httplib {
struct Request;
}

namespace weft::net {

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(const std::string& host);

// True when a browser sent `req` from a page of another origin: its Origin header
// (sent on every cross-origin request that changes state) names a host and port
// other than its Host header. Such a request is refused before any route runs, so
// a web page cannot drive this server through a person's browser.
bool FromAnotherSite(const httplib::Request& req);

// `s` on one line, at most 400 bytes: for a refusal's sentence and the log.
std::string OneLine(std::string s);

}  // namespace weft::net
