#include "sync/protocol.h"

#include <algorithm>
#include <set>

namespace weft::sync {
namespace {

template <typename T>
std::vector<T> SortedUnique(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

bool Contains(const std::vector<ChangeHash>& v, const ChangeHash& h) {
  return std::find(v.begin(), v.end(), h) != v.end();
}

// The changes the peer lacks according to its `have` and `need`, in causal order.
// Order matters when a delta is split over several messages: a change sent ahead
// of its deps would wait in the peer's queue, and a peer that waits on deps asks
// for them one `need` at a time.
Result<std::vector<ChangeHash>> HashesToSend(SyncStore& store, const std::vector<Have>& have,
                                             const std::vector<ChangeHash>& need) {
  std::vector<ChangeHash> needed;
  for (const auto& n : need) {
    WEFT_ASSIGN_OR_RETURN(bool has, store.HasChange(n));
    if (has) needed.push_back(n);
  }
  if (have.empty()) return needed;
  std::vector<ChangeHash> last_sync;
  for (const auto& h : have)
    last_sync.insert(last_sync.end(), h.last_sync.begin(), h.last_sync.end());
  WEFT_ASSIGN_OR_RETURN(auto hashes, store.ChangesNotBelow(SortedUnique(last_sync)));
  const std::set<ChangeHash> needed_set(needed.begin(), needed.end());
  std::set<ChangeHash> selected;
  for (const auto& h : hashes) {
    bool in_some = false;
    for (const auto& hv : have) in_some = in_some || hv.bloom.Contains(h);
    if (!in_some || needed_set.contains(h)) {
      selected.insert(h);
      continue;
    }
    // A change built on one the peer lacks is lacking too (in causal order, none
    // can be until one was selected).
    if (selected.empty()) continue;
    WEFT_ASSIGN_OR_RETURN(auto deps, store.DepsOf(h));
    for (const auto& d : deps) {
      if (selected.contains(d)) {
        selected.insert(h);
        break;
      }
    }
  }
  // Needed changes older than the peer's last sync come first: they are the oldest.
  std::vector<ChangeHash> out;
  const std::set<ChangeHash> recent(hashes.begin(), hashes.end());
  for (const auto& n : needed) {
    if (!recent.contains(n)) out.push_back(n);
  }
  for (const auto& h : hashes) {
    if (selected.contains(h)) out.push_back(h);
  }
  return out;
}

}  // namespace

Result<std::optional<Message>> GenerateMessage(SyncStore& store, SyncState& state,
                                               std::int64_t release) {
  WEFT_ASSIGN_OR_RETURN(auto our_heads, store.Heads());
  std::vector<ChangeHash> our_need;
  if (!state.options.read_only && state.their_heads) {
    WEFT_ASSIGN_OR_RETURN(our_need, store.MissingDeps(*state.their_heads));
    std::erase_if(our_need, [&](const ChangeHash& h) { return state.rejected.contains(h); });
  }
  std::vector<Have> our_have;
  bool need_only_heads = std::all_of(our_need.begin(), our_need.end(), [&](const ChangeHash& h) {
    return state.their_heads && Contains(*state.their_heads, h);
  });
  if (need_only_heads) {
    // Claim only shared heads we still hold: a store restored from a backup (or a
    // state older than the store) must not tell the peer it has history it lost,
    // or the peer would never send it.
    std::vector<ChangeHash> held;
    for (const auto& h : state.shared_heads) {
      WEFT_ASSIGN_OR_RETURN(bool has, store.HasChange(h));
      if (has) held.push_back(h);
    }
    std::optional<std::vector<ChangeHash>> since;
    if (!state.have_cache || state.have_cache->held != held ||
        state.have_cache->our_heads != our_heads) {
      WEFT_ASSIGN_OR_RETURN(since, store.ChangesNotBelow(held));
      state.have_cache =
          SyncState::HaveCache{held, our_heads, Have{held, Bloom(*since, state.options.bloom)}};
    }
    our_have.push_back(state.have_cache->have);
    // The side with news speaks first: before the peer has said anything, what we
    // hold beyond the heads it acknowledged last time goes in our first message,
    // so one new change costs one round trip. It is a guess (the peer may hold
    // some of it already, or have lost the shared heads): a duplicate is a no-op,
    // and a change whose deps the peer lacks waits there until it asks for them.
    if (!held.empty() && !state.their_have && !state.have_responded && !state.peer_read_only &&
        state.send_list_stale) {
      if (!since) {
        WEFT_ASSIGN_OR_RETURN(since, store.ChangesNotBelow(held));
      }
      state.send_list = std::move(*since);
      state.send_cursor = 0;
      state.send_list_stale = false;
    }
  }
  // The peer remembers sharing history we do not hold (we were restored from an
  // older copy): ask it to start over.
  if (state.their_have && !state.their_have->empty()) {
    for (const auto& h : state.their_have->front().last_sync) {
      WEFT_ASSIGN_OR_RETURN(bool has, store.HasChange(h));
      if (!has) {
        Message reset;
        reset.release = release;
        reset.flags = kFlagReset | (state.options.read_only ? kFlagReadOnly : 0);
        reset.heads = our_heads;
        reset.have.push_back(Have{});
        state.their_have.reset();
        return std::optional<Message>(std::move(reset));
      }
    }
  }

  Message m;
  m.release = release;
  m.flags = state.options.read_only ? kFlagReadOnly : 0;
  m.heads = our_heads;
  m.need = our_need;
  m.have = our_have;
  m.blob_need = state.our_blob_need;
  std::size_t budget = state.options.max_message_bytes;
  std::size_t used = 0;
  std::set<ItemHash> blob_seen;
  for (const auto& h : state.their_blob_need) {
    WEFT_ASSIGN_OR_RETURN(auto blob, store.Blob(h));
    if (blob && blob_seen.insert(h).second) {
      used += blob->canonical.size() + blob->display.size();
      m.blobs.push_back(std::move(*blob));
    }
  }
  std::vector<ChangeHash> sent_now;
  if (!state.peer_read_only && ((state.their_have && state.their_need) || !state.send_list_stale)) {
    if (state.send_list_stale) {
      WEFT_ASSIGN_OR_RETURN(state.send_list,
                            HashesToSend(store, *state.their_have, *state.their_need));
      state.send_cursor = 0;
      state.send_list_stale = false;
    }
    for (; state.send_cursor < state.send_list.size(); ++state.send_cursor) {
      const ChangeHash& h = state.send_list[state.send_cursor];
      // Needed changes go again even if sent before: the earlier copy may be lost.
      if (state.sent_hashes.contains(h) && !(state.their_need && Contains(*state.their_need, h)))
        continue;
      if (state.unsendable.contains(h)) continue;
      WEFT_ASSIGN_OR_RETURN(Outgoing out, store.ChangeForSending(h));
      std::size_t cost = out.bytes.size();
      for (const auto& b : out.blobs) cost += b.canonical.size() + b.display.size() + 40;
      // A receiver refuses a payload past its cap: such a change cannot travel.
      if (cost + kPayloadSlack > kMaxDecompressedBytes) {
        state.unsendable.insert(h);
        continue;
      }
      if (!m.changes.empty() && used + cost > budget) break;  // the rest goes in the next message
      used += cost;
      m.changes.push_back(std::move(out.bytes));
      for (auto& b : out.blobs) {
        if (blob_seen.insert(b.hash).second) m.blobs.push_back(std::move(b));
      }
      sent_now.push_back(h);
    }
  }

  const bool heads_unchanged = state.last_sent_heads == our_heads;
  const bool heads_equal = state.their_heads && *state.their_heads == our_heads;
  std::optional<std::vector<ChangeHash>> have_heads;
  if (!our_have.empty()) have_heads = our_have.front().last_sync;
  const bool nothing_new = m.changes.empty() && m.blobs.empty() && m.blob_need.empty() &&
                           our_need == state.last_sent_need && have_heads == state.last_sent_have;
  // A message that carries changes or blobs always goes: the send list's cursor
  // has moved past them, and the next part of a delta may follow the previous one
  // before the peer answers. Otherwise, say nothing new only once per answer.
  if (heads_unchanged && state.have_responded && m.changes.empty() && m.blobs.empty()) {
    if ((heads_equal || nothing_new) && m.blob_need.empty()) return std::optional<Message>();
    if (state.in_flight) return std::optional<Message>();
  }
  state.have_responded = true;
  state.last_sent_heads = our_heads;
  state.last_sent_need = our_need;
  state.last_sent_have = have_heads;
  state.sent_hashes.insert(sent_now.begin(), sent_now.end());
  state.our_blob_need.clear();
  state.their_blob_need.clear();
  state.in_flight = true;
  return std::optional<Message>(std::move(m));
}

Result<ReceiveReport> ReceiveMessage(SyncStore& store, SyncState& state, const Message& msg) {
  ReceiveReport report;
  state.in_flight = false;
  state.peer_read_only = (msg.flags & kFlagReadOnly) != 0;
  if (msg.flags & kFlagReset) {
    state.sent_hashes.clear();
    state.send_list_stale = true;
    report.reset = true;
  }
  WEFT_ASSIGN_OR_RETURN(auto before, store.Heads());
  report.changes_received = msg.changes.size();
  if ((!msg.changes.empty() || !msg.blobs.empty()) && !state.options.read_only) {
    WEFT_ASSIGN_OR_RETURN(report.apply, store.Apply(msg.blobs, msg.changes));
    for (const auto& b : report.apply.missing_blobs) state.our_blob_need.push_back(b);
    for (const auto& r : report.apply.rejected) state.rejected.insert(r.hash);
    if (!msg.changes.empty()) {
      WEFT_ASSIGN_OR_RETURN(auto after, store.Heads());
      std::vector<ChangeHash> next;
      for (const auto& h : after) {
        if (!Contains(before, h) || Contains(state.shared_heads, h)) next.push_back(h);
      }
      state.shared_heads = SortedUnique(std::move(next));
    }
  }
  if (!state.sent_hashes.empty()) {
    WEFT_ASSIGN_OR_RETURN(auto not_below, store.ChangesNotBelow(msg.heads));
    std::set<ChangeHash> keep(not_below.begin(), not_below.end());
    std::erase_if(state.sent_hashes, [&](const ChangeHash& h) { return !keep.contains(h); });
  }
  if (msg.changes.empty() && msg.heads == before) state.last_sent_heads = msg.heads;
  std::vector<ChangeHash> known;
  for (const auto& h : msg.heads) {
    WEFT_ASSIGN_OR_RETURN(bool has, store.HasChange(h));
    if (has) known.push_back(h);
  }
  if (known.size() == msg.heads.size()) {
    state.shared_heads = msg.heads;
    if (msg.heads.empty()) {
      state.last_sent_heads.clear();
      state.sent_hashes.clear();
    }
  } else {
    known.insert(known.end(), state.shared_heads.begin(), state.shared_heads.end());
    state.shared_heads = SortedUnique(std::move(known));
  }
  // The parts of a delta repeat the same have and need: the send list stands.
  if (!state.their_have || *state.their_have != msg.have || !state.their_need ||
      *state.their_need != msg.need) {
    state.send_list_stale = true;
  }
  state.their_have = msg.have;
  state.their_heads = msg.heads;
  state.their_need = msg.need;
  state.their_blob_need = msg.blob_need;
  return report;
}

bool HasMoreToSend(const SyncState& state) {
  return !state.peer_read_only && !state.send_list_stale &&
         state.send_cursor < state.send_list.size();
}

Result<bool> PeerHasOurHeads(SyncStore& store, const SyncState& state) {
  WEFT_ASSIGN_OR_RETURN(auto heads, store.Heads());
  if (heads.empty()) return true;
  // Shared heads cover ours when none of our changes lies outside their past.
  WEFT_ASSIGN_OR_RETURN(auto outside, store.ChangesNotBelow(state.shared_heads));
  return outside.empty();
}

}  // namespace weft::sync
