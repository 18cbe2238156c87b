// The TLS side of `weft serve`: TLS 1.3 with this device's certificate, asking
// every client for its own (a browser may present none; a device must, and its
// id is judged per request), and a count of failed handshakes for /v1/health.
#pragma once

#include <openssl/ssl.h>

#include <cstdint>

#include "net/identity.h"

namespace weft::net {

// Sets up `ctx` to serve as `me`; false when the key or certificate is refused.
bool ConfigureServerTls(SSL_CTX& ctx, const DeviceIdentity& me);
// Handshakes that failed since the process started (plain HTTP on the TLS port,
// a client that gave up).
std::uint64_t FailedHandshakes();

}  // namespace weft::net
