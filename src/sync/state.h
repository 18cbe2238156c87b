// SyncState: what one side knows about one peer during a sync session.
//
// Only `shared_heads` persists between sessions (EncodeState/DecodeState); the
// rest is per session and is rebuilt by a fresh handshake, which is always safe.
// Recovery from anything odd resets the session, never the store.
#pragma once

#include <optional>
#include <set>
#include <vector>

#include "sync/bloom.h"
#include "sync/message.h"

namespace weft::sync {

struct SyncOptions {
  BloomParams bloom;
  std::size_t max_message_bytes = kMaxMessageBytes;
  bool read_only = false;  // we do not apply what the peer sends
};

struct SyncState {
  std::vector<ChangeHash> shared_heads;  // persisted

  std::vector<ChangeHash> last_sent_heads;
  std::optional<std::vector<ChangeHash>> their_heads;
  std::optional<std::vector<ChangeHash>> their_need;
  std::optional<std::vector<Have>> their_have;
  std::vector<ItemHash> their_blob_need;
  std::vector<ItemHash> our_blob_need;
  std::set<ChangeHash> sent_hashes;
  // The changes the peer lacks by its latest have and need, worked out once per
  // message from it, and how far we are through them: a delta split over several
  // messages is not recomputed for each (and may go out back to back, pipelined).
  std::vector<ChangeHash> send_list;
  std::size_t send_cursor = 0;
  bool send_list_stale = true;
  // Our last have, for the shared heads we held and our heads then: the parts of
  // a delta repeat it rather than rebuild its Bloom filter.
  struct HaveCache {
    std::vector<ChangeHash> held;
    std::vector<ChangeHash> our_heads;
    Have have;
  };
  std::optional<HaveCache> have_cache;
  std::vector<ChangeHash> last_sent_need;
  std::optional<std::vector<ChangeHash>> last_sent_have;
  bool in_flight = false;
  bool have_responded = false;
  bool peer_read_only = false;
  // Changes we refused this session: never asked for again in it, so a change
  // that cannot be applied is refused once and the session goes quiet.
  std::set<ChangeHash> rejected;
  // Our changes too large for any message (stored before the per-change cap).
  std::set<ChangeHash> unsendable;
  SyncOptions options;
};

Bytes EncodeState(const SyncState& s);
// A fresh session that remembers only the shared heads.
Result<SyncState> DecodeState(ByteView bytes, SyncOptions options = {});
// Drops everything but the shared heads (after a malformed message or a lost one).
void ResetSession(SyncState& s);

}  // namespace weft::sync
