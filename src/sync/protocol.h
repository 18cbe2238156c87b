// The sync protocol: two pure functions over a SyncStore and a SyncState.
//
// Based on Automerge's (Kleppmann & Howard, arXiv:2012.00472): each side sends
// its heads, what it needs, and a Bloom filter of its changes since the heads it
// last shared with this peer; the other side answers with the changes the filter
// does not contain (and their descendants), plus the item blobs they add. The
// caller moves bytes; nothing here does I/O. See docs/design/sync.md.
#pragma once

#include <optional>

#include "sync/message.h"
#include "sync/state.h"
#include "sync/sync_store.h"

namespace weft::sync {

// The next message to send to the peer, or nullopt when there is nothing new to
// say (both sides are quiet once each returns nullopt). Called again before the
// peer answers, it returns the next part of a delta too large for one message
// (pipelining), and nullopt once everything is out.
Result<std::optional<Message>> GenerateMessage(SyncStore& store, SyncState& state,
                                               std::int64_t release);

struct ReceiveReport {
  ApplyReport apply;
  std::size_t changes_received = 0;
  bool reset = false;
};

// Applies a decoded message. A store error leaves the store as it was.
Result<ReceiveReport> ReceiveMessage(SyncStore& store, SyncState& state, const Message& message);

// True when GenerateMessage would return more of the delta without hearing from
// the peer.
bool HasMoreToSend(const SyncState& state);

// True when the peer is known to hold every one of our heads.
Result<bool> PeerHasOurHeads(SyncStore& store, const SyncState& state);

}  // namespace weft::sync
