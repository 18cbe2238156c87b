// SyncServer: `weft serve`, the HTTP side of sync (docs/design/network.md).
//
//   GET  /v1/health           who this instance is and what it holds (the hello's
//                             fields), uptime, sessions and refusal counters
//   POST /v1/sync             one sync message in, the reply message out (204 when
//                             this side is quiet); headers Weft-Session, Weft-Seq
//   GET  /v1/events?after=N   long poll (at most 30 s) for "heads changed" events
//   POST /v1/eval             run code here once the required heads are held
//                             (net/remote_eval.h; only when `evaluate` is set)
//   (and what `mount` adds: the dashboard, web/dashboard.h)
//
// A request a browser sent from a page of another site (its Origin is not this
// server) is refused before any route runs.
//
// Who is calling: over TLS, the device id of the client's certificate, which
// must be a registered peer's; with `trust = kTailnet` (plain HTTP on loopback
// behind `tailscale serve`), the Tailscale-User-Login header, registered as
// `tailnet:LOGIN`; on plain loopback otherwise, anyone on this machine (the
// Weft-Device header only picks the peer whose sync state to keep).
//
// Each session has its own Store and PeerSession, keyed by the caller and its
// session id, and expires when idle. A retried request (same Weft-Seq) gets the
// cached reply, so a lost response never applies a message twice or skips one.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "net/http_guard.h"
#include "net/remote_eval.h"

namespace httplib {
class Server;
}

namespace weft::net {

enum class Trust : std::uint8_t {
  kDevices,  // TLS: registered device ids; plain loopback: anyone on this machine
  kTailnet,  // plain loopback behind `tailscale serve`: the Tailscale-User-Login header
};

struct ServerOptions {
  std::string store_dir;
  std::string host = "127.0.0.1";
  int port = 7420;  // 0: any free port
  bool tls = false;
  Trust trust = Trust::kDevices;
  std::size_t max_body_bytes = 16u << 20;
  std::size_t max_sessions = 16;
  std::chrono::seconds session_idle{120};
  std::chrono::seconds io_timeout{30};
  std::chrono::milliseconds busy_timeout{5000};
  // How often the watcher asks SQLite whether another connection committed
  // (PRAGMA data_version, a read of shared memory); heads are read only then.
  std::chrono::milliseconds watch_interval{20};
  // Runs code for a peer (POST /v1/eval), after the required heads arrived. Its
  // errors are answered by code: kEvaluation 422, kNotFound 404, kInvalidArgument 400.
  std::function<Result<RemoteEvalAnswer>(const RemoteEvalRequest&)> evaluate;
  // Called on the watcher thread when this store's heads change (any process
  // committed or a sync applied changes), with the new heads.
  std::function<void(const std::vector<ChangeHash>&)> heads_changed;
  // One line per session event and refusal.
  std::function<void(const std::string&)> log;
  // More routes on this port (the dashboard, web/), added before it binds. `who`
  // tells a route who is calling by the rules above: a registered device's id,
  // "tailnet:LOGIN", "loopback" (plain loopback: anyone on this machine), or
  // nothing when the caller is not let in.
  using Who = std::function<std::optional<std::string>(const httplib::Request&)>;
  std::function<void(httplib::Server&, Who who)> mount;
  // True when a request carries a dashboard login: a browser, which has no device
  // certificate, may then read /v1/health and /v1/events as a device would.
  std::function<bool(const httplib::Request&)> logged_in;
};

class SyncServer {
 public:
  // Checks the options (a non-loopback address needs TLS; tailnet trust needs a
  // plain loopback address), opens the store and the device identity, and binds.
  static Result<std::unique_ptr<SyncServer>> Start(const ServerOptions& options);
  ~SyncServer();

  int port() const;
  std::string url() const;
  const std::string& device_id() const;
  // Serves until Stop (from any thread). kIo when the listener fails.
  Status Run();
  void Stop();

  class Impl;

 private:
  explicit SyncServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace weft::net
