// A device's side of the hub's HTTP protocol (docs/design/hub.md, "Protocol"):
// pull a page after a position, push changes, read the tenant's clock. Moves
// bytes and maps answers to errors; what to pull and push is net/hub_sync.h's.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "net/http_peer.h"
#include "sync/message.h"

namespace weft::net {

struct HubClientOptions {
  std::string label;  // the peer's name, for sentences
  std::string tenant;
  std::string token;
  std::chrono::steady_clock::time_point deadline;
  // false: an unreachable hub fails at once (the daemon: its backoff decides
  // when to try again); a busy one (429, 503) is still waited for.
  bool retry_unreachable = true;
};

struct HubPage {
  std::string epoch;
  std::int64_t latest = 0;
  std::int64_t through = 0;
  bool more = false;
  bool history_changed = false;  // 410: reconcile by clock
  sync::Message message;         // changes and their blobs
  std::size_t bytes = 0;
};

struct HubPushAnswer {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::int64_t latest = 0;
  std::string epoch;
  std::optional<ChangeHash> last;  // the change at `latest`, when this push put it there
  // Set when the hub refused the push (nothing stored).
  std::string refusal;
  std::string sentence;
};

struct HubClock {
  std::string epoch;
  std::int64_t latest = 0;
  sync::Hello hello;  // clock: what the hub holds of each actor
  std::vector<ChangeHash> heads;
};

class HubClient {
 public:
  static Result<std::unique_ptr<HubClient>> Open(const PeerUrl& url, HubClientOptions options);
  ~HubClient();
  // GET changes after `after` (at: the change there; wait: a long-poll, ≤ 25 s).
  // `seen`: the highest-numbered change this device knows the hub holds (0: none).
  Result<HubPage> Pull(std::int64_t after, const std::optional<ChangeHash>& at,
                       const std::string& epoch, int wait_s = 0, std::int64_t seen = 0,
                       const std::optional<ChangeHash>& seen_at = std::nullopt);
  // Only the position (no changes): waits up to `wait_s` for the log to pass
  // `after`. For a listener that wakes a sync.
  Result<HubPage> Peek(std::int64_t after, const std::string& epoch, int wait_s);
  Result<HubPushAnswer> Push(const sync::Message& m);
  // Ends a request in progress from another thread (a stopping listener).
  void Cancel();
  Result<HubClock> Clock();
  std::size_t round_trips() const { return round_trips_; }

 private:
  struct Impl;
  explicit HubClient(std::unique_ptr<Impl> impl);
  Result<HubPage> Fetch(std::int64_t after, const std::optional<ChangeHash>& at,
                        const std::string& epoch, int wait_s, bool peek, std::int64_t seen,
                        const std::optional<ChangeHash>& seen_at);
  std::unique_ptr<Impl> impl_;
  std::size_t round_trips_ = 0;
};

// Reads a token file: a regular file (not a FIFO or a device) of at most 4 KiB
// that only its owner may read; the token is its first line.
Result<std::string> ReadTokenFile(const std::string& path);

}  // namespace weft::net
