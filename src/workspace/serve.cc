#include "workspace/serve.h"

#include "net/listen_address.h"
#include "workspace/remote_eval.h"

namespace weft::workspace {
namespace {

Status ParseListen(const std::string& listen, net::ServerOptions& o) {
  WEFT_ASSIGN_OR_RETURN(net::ListenAddress a, net::ParseListen(listen));
  o.host = std::move(a.host);
  o.port = a.port;
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
