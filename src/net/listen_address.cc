#include "net/listen_address.h"

#include <fmt/format.h>

namespace weft::net {

Result<ListenAddress> ParseListen(const std::string& listen) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "--listen {} is not HOST:PORT (for example 127.0.0.1:7420 or 0.0.0.0:7420)",
                listen);
  };
  ListenAddress a;
  std::string port;
  if (listen.starts_with("[")) {
    auto close = listen.find("]:");
    if (close == std::string::npos) return bad();
    a.host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || listen.find(':') != colon) return bad();
    a.host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (a.host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  a.port = std::stoi(port);
  if (a.port > 65535) return bad();
  return a;
}

std::string ServerUrl(bool tls, const std::string& host, int port) {
  return fmt::format("{}://{}:{}", tls ? "https" : "http",
                     host.find(':') != std::string::npos ? "[" + host + "]" : host, port);
}

}  // namespace weft::net
