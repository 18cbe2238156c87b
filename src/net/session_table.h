// The server's sync sessions (docs/design/network.md, "Sessions"): each with its
// own store connection and protocol state, keyed "CALLER/SESSION-ID", ended when
// the client says so, when idle past a limit, or to make room: a caller keeps at
// most half the table (4 at most), and a full table ends the session idle longest
// once it has been idle 5 s, so sessions a crashed client left behind never lock
// others out.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "net/exchange.h"
#include "net/session.h"
#include "net/store_adapter.h"
#include "store/store.h"

namespace weft::net {

struct ServerSession {
  std::mutex mu;
  std::unique_ptr<Store> store;
  std::unique_ptr<StoreAdapter> adapter;
  sync::SyncState state;
  std::unique_ptr<PeerSession> peer;
  std::unique_ptr<Responder> responder;
  // The last request answered, for a retry of it (same Weft-Seq).
  std::uint64_t last_seq = 0;
  int last_status = 0;
  std::string last_body;
  httplib::Headers last_headers;
  // Read by the table without `mu`.
  std::atomic<std::chrono::steady_clock::rep> last_used{0};
  std::atomic<bool> dead{false};

  void Touch() { last_used = std::chrono::steady_clock::now().time_since_epoch().count(); }
  bool IdleSince(std::chrono::steady_clock::time_point now, std::chrono::seconds limit) const {
    return now.time_since_epoch().count() - last_used.load() >
           std::chrono::duration_cast<std::chrono::steady_clock::duration>(limit).count();
  }
};

class SessionTable {
 public:
  SessionTable(std::size_t capacity, std::chrono::seconds idle,
               std::function<void(const std::string&)> log);

  // The live session under `key` (idle and dead ones are ended first), or null.
  std::shared_ptr<ServerSession> Find(const std::string& key);
  // Makes room for a new session of `caller` (see above); false when the table
  // is still full.
  bool MakeRoom(const std::string& caller);
  // Adds `session` under `key` unless one is there already (returned instead);
  // null when the table filled meanwhile.
  std::shared_ptr<ServerSession> Insert(const std::string& key,
                                        std::shared_ptr<ServerSession> session);
  // Ends the session under `key`, if any (the client is done with it).
  void End(const std::string& key);
  // Ends sessions idle past the limit or refused.
  void Sweep();
  std::size_t size();
  std::size_t capacity() const { return capacity_; }

 private:
  using Map = std::map<std::string, std::shared_ptr<ServerSession>>;
  void EndLocked(Map::iterator it, const char* why);
  void SweepLocked();

  std::size_t capacity_;
  std::chrono::seconds idle_;
  std::function<void(const std::string&)> log_;
  std::mutex mu_;
  Map sessions_;
};

}  // namespace weft::net
