#include "net/session.h"

#include <algorithm>

namespace weft::net {

PeerSession::PeerSession(sync::SyncStore& store, sync::SyncState& state, sync::Hello ours,
                         std::int64_t release, SessionKeeper keep)
    : store_(store),
      state_(state),
      ours_(std::move(ours)),
      release_(release),
      keep_(std::move(keep)) {}

Status PeerSession::Finish() {
  if (!peer_ || !keep_) return {};
  return keep_(*peer_, state_);
}

void PeerSession::Problem(std::string p) {
  if (seen_problems_.insert(p).second) problems_.push_back(std::move(p));
}

Result<std::optional<Bytes>> PeerSession::Next() {
  std::optional<sync::Message> msg;
  WEFT_TRY(store_.Snapshot([&]() -> Status {
    WEFT_ASSIGN_OR_RETURN(msg, sync::GenerateMessage(store_, state_, release_));
    if (!msg && !hello_sent_) {
      // Quiet from the start, yet the peer must still learn who we are.
      WEFT_ASSIGN_OR_RETURN(auto heads, store_.Heads());
      msg.emplace();
      msg->release = release_;
      msg->heads = std::move(heads);
      msg->flags = state_.options.read_only ? sync::kFlagReadOnly : 0;
    }
    return {};
  }));
  for (const auto& h : state_.unsendable) {
    Problem(fmt::format(
        "change {} is too large for one sync message (the payload limit is {} MiB) and cannot "
        "be sent",
        h.Short(), sync::kMaxDecompressedBytes >> 20));
  }
  if (!msg) return std::optional<Bytes>();
  if (!hello_sent_) {
    msg->hello = ours_;
    hello_sent_ = true;
  }
  Bytes bytes = sync::EncodeMessage(*msg);
  ++sent_;
  bytes_ += bytes.size();
  return std::optional<Bytes>(std::move(bytes));
}

Result<Delivery> PeerSession::Take(ByteView bytes) {
  Delivery out;
  last_carried_ = false;
  auto decoded = sync::DecodeMessage(bytes, release_);
  if (!decoded) {
    if (decoded.error().code() == ErrorCode::kVersionMismatch) return Fail(decoded.error());
    // Recovery resets transport state, never store truth.
    sync::ResetSession(state_);
    Problem("malformed message dropped: " + decoded.error().message());
    out.reset = true;
    return out;
  }
  if (decoded->hello) peer_ = decoded->hello;
  last_carried_ = !decoded->changes.empty();
  auto received = sync::ReceiveMessage(store_, state_, *decoded);
  if (!received) {
    if (received.error().code() != ErrorCode::kProtocol) return Fail(received.error());
    sync::ResetSession(state_);
    Problem("message rejected: " + received.error().message());
    out.reset = true;
    return out;
  }
  for (const auto& r : received->apply.rejected) Problem("refused change " + r.reason);
  for (auto& n : received->apply.notices) notices_.push_back(std::move(n));
  applied_.insert(applied_.end(), received->apply.applied.begin(), received->apply.applied.end());
  out.applied = std::move(received->apply.applied);
  out.pending = std::move(received->apply.pending);
  return out;
}

Result<bool> PeerSession::PeerHoldsOurHeads() { return sync::PeerHasOurHeads(store_, state_); }

Result<std::vector<ChangeHash>> PeerSession::MissingThere() {
  WEFT_ASSIGN_OR_RETURN(bool held, PeerHoldsOurHeads());
  if (held) return std::vector<ChangeHash>();
  WEFT_ASSIGN_OR_RETURN(auto heads, store_.Heads());
  std::vector<ChangeHash> out;
  const auto& theirs = state_.their_heads;
  for (const auto& h : heads) {
    if (!theirs || std::find(theirs->begin(), theirs->end(), h) == theirs->end()) out.push_back(h);
  }
  return out;
}

Result<std::vector<ChangeHash>> PeerSession::MissingHere() {
  std::vector<ChangeHash> out;
  if (!state_.their_heads) return out;
  for (const auto& h : *state_.their_heads) {
    WEFT_ASSIGN_OR_RETURN(bool has, store_.HasChange(h));
    if (!has) out.push_back(h);
  }
  return out;
}

}  // namespace weft::net
