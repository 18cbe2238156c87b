#include "net/http_guard.h"

#include <arpa/inet.h>
#include <httplib.h>

namespace weft::net {

bool IsLoopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

bool FromAnotherSite(const httplib::Request& req) {
  if (!req.has_header("Origin")) return false;
  std::string origin = req.get_header_value("Origin");
  // "null" (a sandboxed frame, a file: page) is another site too.
  const auto scheme = origin.find("://");
  if (scheme == std::string::npos) return true;
  origin = origin.substr(scheme + 3);
  return origin != req.get_header_value("Host");
}

std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s.size() > 400 ? s.substr(0, 400) + "…" : s;
}

}  // namespace weft::net
