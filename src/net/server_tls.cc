#include "net/server_tls.h"

#include <atomic>

namespace weft::net {
namespace {

// OpenSSL reports handshakes to a callback without a user argument.
std::atomic<std::uint64_t> g_handshake_failures{0};

void CountHandshakeFailures(const SSL* /*ssl*/, int where, int ret) {
  if ((where & SSL_CB_HANDSHAKE_START) != 0) return;
  if ((where & SSL_CB_EXIT) != 0 && ret == 0) ++g_handshake_failures;
}

// Any certificate passes TLS; its device id is judged per request, so an unknown
// device gets a 403 and a sentence, not a failed handshake.
int AcceptAnyChain(X509_STORE_CTX* /*ctx*/, void* /*arg*/) { return 1; }

}  // namespace

bool ConfigureServerTls(SSL_CTX& ctx, const DeviceIdentity& me) {
  SSL_CTX_set_min_proto_version(&ctx, TLS1_3_VERSION);
  if (SSL_CTX_use_certificate(&ctx, me.certificate()) != 1 ||
      SSL_CTX_use_PrivateKey(&ctx, me.key()) != 1) {
    return false;
  }
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
  // Without a session id context OpenSSL fails every resumed session of a server
  // that asks for certificates: a browser's second connection was refused.
  static constexpr unsigned char kSessionContext[] = "weft";
  SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof kSessionContext - 1);
  SSL_CTX_set_cert_verify_callback(&ctx, AcceptAnyChain, nullptr);
  SSL_CTX_set_info_callback(&ctx, CountHandshakeFailures);
  return true;
}

std::uint64_t FailedHandshakes() { return g_handshake_failures.load(); }

}  // namespace weft::net
