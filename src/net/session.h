// PeerSession: one side of a sync session, driven over any carrier that moves
// bytes (the file carrier, HTTP, a test harness that drops and reorders).
//
// It produces the next outgoing message and takes an incoming one: it encodes and
// decodes, checks the Release, applies what arrives through the protocol
// (sync/protocol.h), resets the session (never the store) on a malformed message,
// and keeps what a person needs to hear: what arrived, what was refused (each
// once), what the store did about it (a re-issue). Our first message carries our
// hello; the peer's hello says who it is and what it holds. Nothing here touches
// the peer's store: all it knows of the peer is what its messages said.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sync/protocol.h"

namespace weft::net {

struct Delivery {
  std::vector<ChangeHash> applied;
  std::vector<ChangeHash> pending;
  bool reset = false;  // the message was malformed: the session restarted
};

// Keeps what a session leaves behind: who the peer said it is, and our state for
// it (the shared heads the next session starts from). Whoever opens the session
// says where (net/session_keeper.h keeps it in a store).
using SessionKeeper = std::function<Status(const sync::Hello& peer, const sync::SyncState& state)>;

class PeerSession {
 public:
  // `state` (ours for this peer) and `store` must outlive the session.
  PeerSession(sync::SyncStore& store, sync::SyncState& state, sync::Hello ours,
              std::int64_t release, SessionKeeper keep = {});

  // The next message to send, encoded; nullopt when this side has nothing to say.
  Result<std::optional<Bytes>> Next();
  // One message from the peer. kVersionMismatch for another Release; a store
  // error as it came; a malformed message resets the session and is reported.
  Result<Delivery> Take(ByteView bytes);

  // Ends the session: hands the peer's hello and our state to the keeper. Does
  // nothing when the peer never said who it is (nothing was learned) or there is
  // no keeper.
  Status Finish();

  // What the peer's hello said, once one arrived.
  const std::optional<sync::Hello>& peer() const { return peer_; }
  const sync::Hello& ours() const { return ours_; }
  // The peer's heads as its latest message gave them.
  const std::optional<std::vector<ChangeHash>>& peer_heads() const { return state_.their_heads; }
  // True when Next() would give more of a delta without hearing from the peer.
  bool HasMoreToSend() const { return sync::HasMoreToSend(state_); }
  // True when the peer is known to hold every one of our heads.
  Result<bool> PeerHoldsOurHeads();
  // Our heads the peer is not known to hold, and its heads we do not hold.
  Result<std::vector<ChangeHash>> MissingThere();
  Result<std::vector<ChangeHash>> MissingHere();

  const std::vector<ChangeHash>& applied() const { return applied_; }
  const std::vector<std::string>& problems() const { return problems_; }
  const std::vector<std::string>& notices() const { return notices_; }
  const sync::SyncState& state() const { return state_; }
  std::size_t messages_sent() const { return sent_; }
  std::size_t bytes_sent() const { return bytes_; }
  // The Delivery of the latest Take carried changes or blobs.
  bool last_carried_changes() const { return last_carried_; }

 private:
  void Problem(std::string p);

  sync::SyncStore& store_;
  sync::SyncState& state_;
  sync::Hello ours_;
  std::int64_t release_;
  SessionKeeper keep_;
  bool hello_sent_ = false;
  std::optional<sync::Hello> peer_;
  std::vector<ChangeHash> applied_;
  std::vector<std::string> problems_;
  std::set<std::string> seen_problems_;
  std::vector<std::string> notices_;
  std::size_t sent_ = 0;
  std::size_t bytes_ = 0;
  bool last_carried_ = false;
};

}  // namespace weft::net
