// "HOST:PORT" or "[V6]:PORT" as --listen takes it (serve, daemon, hub serve).
#pragma once

#include <string>

#include "core/error.h"

namespace weft::net {

struct ListenAddress {
  std::string host;
  int port = 0;
};
// kInvalidArgument with an example when `listen` is not HOST:PORT.
Result<ListenAddress> ParseListen(const std::string& listen);
// "http(s)://HOST:PORT", an IPv6 host in brackets: what a server says it serves.
std::string ServerUrl(bool tls, const std::string& host, int port);

}  // namespace weft::net
