// The file carrier: sync with another instance's store on disk (a USB stick, a
// shared folder). Both sides run in this process, each as a PeerSession over its
// own store; the carrier only moves the encoded bytes between them, so what
// crosses is exactly what HTTP carries. Each side keeps its session as its own
// process would (net/session_keeper.h).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/session.h"
#include "store/store.h"
#include "sync/protocol.h"

namespace weft::net {

struct SessionReport {
  std::size_t messages = 0;
  std::size_t rounds = 0;
  std::size_t bytes = 0;
  std::vector<ChangeHash> received;   // applied here
  std::vector<ChangeHash> sent;       // applied there
  std::vector<std::string> problems;  // refused changes, reset sessions; each once
  std::vector<std::string> notices;   // sentences for the person (a re-issue)
  bool quiet = false;                 // both sides had nothing more to say
  bool timed_out = false;             // stopped at the deadline
  bool stalled = false;               // stopped: rounds moved changes, none applied or queued
  // What our side learned of the peer, from its messages alone.
  std::optional<sync::Hello> peer;
  std::vector<ChangeHash> missing_here;   // the peer's heads we do not hold
  std::vector<ChangeHash> missing_there;  // our heads the peer is not known to hold
  bool confirmed = false;                 // the peer acknowledged every one of our heads
};

// Hooks for tests: drop or corrupt a message in transit.
struct Transit {
  // Called with each encoded message (true = ours to theirs); return false to drop it.
  std::function<bool(bool outbound, Bytes& bytes)> deliver;
};

struct SessionOptions {
  std::size_t max_rounds = 1000;
  // Checked before every message: a session never runs past it.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Called after every round, for a progress line.
  std::function<void(const SessionReport&)> progress;
  // Names the other side in errors that come from its store ("the store of desktop").
  std::string peer_label = "the peer";
  // Keeps our side of the session when it ends (net/session_keeper.h); the peer's
  // side remembers our name in its store, unless it was opened for a pull.
  SessionKeeper keep_ours;
  Transit transit;
};

// Exchanges messages between `ours` and `theirs` until both are quiet, the
// deadline passes, `max_rounds` pass, or the session stalls (three rounds that
// carried changes and neither applied nor queued any). `their_state.options.read_only`
// makes a pull (nothing is written to `theirs`).
Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, const SessionOptions& options);
Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, std::size_t max_rounds = 1000,
                                 const Transit& transit = {});

// The hello `theirs` would open a session with (for `weft sync check`).
Result<sync::Hello> PeerHello(Store& theirs);

// Opens the store of the peer `label` at `address` for a session, saying plainly
// when it is not there (kUnavailable: not reachable) or not usable (its own code,
// naming the peer: damaged, foreign, busy, another Release).
Result<std::unique_ptr<Store>> OpenPeerStore(const std::string& label, const std::string& address,
                                             Store::Access access);

}  // namespace weft::net
