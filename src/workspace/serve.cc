#include "workspace/serve.h"

#include "workspace/remote_eval.h"

namespace weft::workspace {
namespace {

Status ParseListen(const std::string& listen, net::ServerOptions& o) {
  auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument,
                "--listen {} is not HOST:PORT (for example 127.0.0.1:7420 or 0.0.0.0:7420)",
                listen);
  };
  std::string port;
  if (listen.starts_with("[")) {
    auto close = listen.find("]:");
    if (close == std::string::npos) return bad();
    o.host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || listen.find(':') != colon) return bad();
    o.host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (o.host.empty() || port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos) {
    return bad();
  }
  o.port = std::stoi(port);
  if (o.port > 65535) return bad();
  return {};
}

}  // namespace

Result<std::unique_ptr<net::SyncServer>> StartServer(const std::string& store_dir,
                                                     const ServeRequest& request) {
  net::ServerOptions o;
  o.store_dir = store_dir;
  WEFT_TRY(ParseListen(request.listen, o));
  o.tls = request.tls.value_or(!net::IsLoopback(o.host));
  o.trust = request.trust;
  o.max_sessions = request.max_sessions;
  o.busy_timeout = request.busy_timeout;
  o.log = request.log;
  o.heads_changed = request.heads_changed;
  o.mount = request.mount;
  o.logged_in = request.logged_in;
  if (request.run_code) {
    o.evaluate = [store_dir, busy = request.busy_timeout](const net::RemoteEvalRequest& r) {
      return ServePeerEval(store_dir, r, busy);
    };
  }
  return net::SyncServer::Start(o);
}

}  // namespace weft::workspace
