// HttpPeer: the client side of sync over HTTP (`weft serve` at the other end).
//
// A peer URL is http://HOST[:PORT] (loopback only: nothing on the wire is
// encrypted) or https://HOST[:PORT] (default port 7420). Over https the client
// shows this device's certificate and accepts the server only when its device id
// is the one registered for the peer; a peer registered without an id is checked
// against the system's certificate authorities instead (a server behind
// `tailscale serve`). Connection errors are retried with jittered exponential
// backoff until the deadline; an HTTP refusal is an Error with the server's
// sentence, never retried, except "too many sessions", which is.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "net/exchange.h"
#include "net/head_events.h"
#include "net/health.h"
#include "net/identity.h"
#include "net/remote_eval.h"

namespace weft::net {

struct PeerUrl {
  bool tls = false;
  std::string host;
  int port = 7420;
  std::string text;  // normalised: scheme://host:port
};
bool LooksLikeUrl(const std::string& address);
// kInvalidArgument for anything but http(s)://HOST[:PORT][/], and for plain
// http to a host that is not loopback.
Result<PeerUrl> ParsePeerUrl(const std::string& address);

struct HttpPeerOptions {
  std::string label;                         // the peer's name, for sentences
  std::string device_id;                     // registered id; empty: the system's CAs (https)
  const DeviceIdentity* identity = nullptr;  // ours; must outlive the peer
  std::chrono::steady_clock::time_point deadline;
  bool pull = false;  // the server applies nothing we send
  // False: a connection that fails is reported at once, not retried until the
  // deadline (the daemon retries on its own schedule).
  bool retry_unreachable = true;
};

class HttpPeer : public Exchange {
 public:
  static Result<std::unique_ptr<HttpPeer>> Open(const PeerUrl& url, HttpPeerOptions options);
  ~HttpPeer() override;

  Result<Health> GetHealth();
  // POST /v1/eval: runs code there once it holds the request's heads. A refusal
  // comes back by kind: kMissingChanges (the heads did not arrive in time),
  // kEvaluation (a runtime error there), kNotFound (no such name or branch).
  Result<RemoteEvalAnswer> Eval(const RemoteEvalRequest& request);
  // GET /v1/events: the peer's "heads changed" events after `after`, waiting up
  // to `wait` (at most 30 s) for one. The deadline must leave room for the wait.
  Result<EventBatch> WaitForEvents(std::uint64_t after, std::chrono::seconds wait);
  // True once the server said it does not know our session (410: it restarted or
  // the session expired): the caller may start a new session with a new HttpPeer.
  bool session_lost() const;
  // Tells the server this session is over (DELETE /v1/sync), so it frees the
  // session at once instead of when it expires. Best effort, within 2 s; only
  // when a session was started and not lost.
  void EndSession();
  // Ends a request in progress on another thread (it fails at once); for a
  // long poll that must not hold up a shutdown.
  void Cancel();
  // One round trip of this peer's sync session (one session per HttpPeer).
  Result<Reply> RoundTrip(std::vector<Bytes> ours) override;
  bool TakesBatches() const override;

  class Impl;

 private:
  explicit HttpPeer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace weft::net
