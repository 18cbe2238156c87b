// Running our side of one sync session to its end over any Exchange: send our
// next message, take the reply, until both sides are quiet, the deadline passes,
// the round limit is reached, or the session stalls. Every carrier (the file
// carrier, the HTTP client) runs its sessions through RunSession, so a session
// ends, and is judged, the same way whatever moves the bytes.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/exchange.h"

namespace weft::net {

struct SessionReport {
  std::size_t messages = 0;
  std::size_t rounds = 0;
  std::size_t round_trips = 0;  // rounds that crossed to the peer and back
  std::size_t bytes = 0;
  std::vector<ChangeHash> received;   // applied here
  std::size_t sent = 0;               // changes of ours the peer applied
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
  // Called with each encoded message (true = ours to theirs); return false to drop
  // it. A round trip may carry several messages each way.
  std::function<bool(bool outbound, Bytes& bytes)> deliver;
};

struct SessionOptions {
  std::size_t max_rounds = 1000;
  // Checked before every message: a session never runs past it.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Called after every round, for a progress line.
  std::function<void(const SessionReport&)> progress;
  // Names the other side in errors and problems ("the store of desktop").
  std::string peer_label = "the peer";
  // Keeps our side of the session when it ends (net/session_keeper.h).
  SessionKeeper keep_ours;
  Transit transit;
};

// Runs `ours` against `peer` until the session ends (see above). Does not call
// `ours.Finish()`: the caller keeps the session when it is done with it.
Result<SessionReport> RunSession(PeerSession& ours, Exchange& peer, const SessionOptions& options);

}  // namespace weft::net
