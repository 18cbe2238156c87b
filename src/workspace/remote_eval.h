// Running code on a peer, gated by heads (`weft eval --on`, `weft run --on`):
// the caller's side, and the side of the instance that runs it
// (docs/design/daemon.md).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "lang/evaluator.h"
#include "net/remote_eval.h"
#include "store/store.h"
#include "workspace/peers.h"
#include "workspace/sync.h"

namespace weft::workspace {

struct RemoteRunRequest {
  std::string expression;         // eval; or
  std::string call;               // run: a name
  std::vector<std::string> args;  //   and its arguments
  double timeout_s = 10;          // for the sync and for the peer to hold our heads
  bool sync = true;               // false: rely on a daemon to bring the heads there
  lang::EvalLimits limits;        // asked for; the peer caps them at its own
};

struct RemoteRunReport {
  std::string peer;
  std::vector<ChangeHash> required;  // our heads, which the peer held when it ran
  bool synced = false;               // false: the peer was known to hold them, or sync off
  std::optional<SyncReport> sync;
  net::RemoteEvalAnswer answer;
  std::int64_t staged = 0;  // staged ops here, which the peer does not see
};

// Parses the request here (a typo is ours to report), captures our heads, syncs
// them to the peer unless it is known to hold them, and asks it to run the code.
// kMissingChanges when the peer did not come to hold our heads in time;
// kUnavailable/kTimeout when it is not reachable; kEvaluation for its runtime error.
Result<RemoteRunReport> RunOnPeer(Store& store, const Target& target,
                                  const RemoteRunRequest& request);

// The most a peer's request may use here; a request asks for less or gets these.
lang::EvalLimits PeerEvalCeiling();
// Answers a peer's request (the server's `evaluate` hook): opens the store
// read-only and evaluates on the requested branch, as committed.
Result<net::RemoteEvalAnswer> ServePeerEval(const std::string& store_dir,
                                            const net::RemoteEvalRequest& request,
                                            std::chrono::milliseconds busy_timeout);

}  // namespace weft::workspace
