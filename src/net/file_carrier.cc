#include "net/file_carrier.h"

#include <set>

#include "net/store_adapter.h"
#include "store/schema.h"

namespace weft::net {
namespace {

class Session {
 public:
  Session(Store& ours, Store& theirs, sync::SyncState& our_state, sync::SyncState& their_state,
          const SessionOptions& options)
      : a_(ours), b_(theirs), a_state_(our_state), b_state_(their_state), options_(options) {}

  Result<SessionReport> Run() {
    int fruitless = 0;
    for (report_.rounds = 0; report_.rounds < options_.max_rounds;) {
      ++report_.rounds;
      carried_changes_ = false;
      progressed_ = false;
      WEFT_ASSIGN_OR_RETURN(bool sent_a, Step(true));
      WEFT_ASSIGN_OR_RETURN(bool sent_b, Step(false));
      if (options_.progress) options_.progress(report_);
      if (report_.timed_out) return report_;
      if (!sent_a && !sent_b) {
        report_.quiet = true;
        break;
      }
      fruitless = carried_changes_ && !progressed_ ? fruitless + 1 : 0;
      if (fruitless >= 3) {
        report_.stalled = true;
        break;
      }
    }
    return report_;
  }

 private:
  bool PastDeadline() {
    if (options_.deadline && std::chrono::steady_clock::now() >= *options_.deadline) {
      report_.timed_out = true;
    }
    return report_.timed_out;
  }

  void Problem(std::string p) {
    if (seen_problems_.insert(p).second) report_.problems.push_back(std::move(p));
  }

  // An error from the other side's store says so, keeping its code.
  Error FromPeer(const Error& e) const {
    return Error(e.code(), fmt::format("the store of {}: {}", options_.peer_label, e.message()));
  }

  // Moves one message, ours to theirs when `outbound`. Returns whether one was sent.
  Result<bool> Step(bool outbound) {
    if (PastDeadline()) return false;
    StoreAdapter& from = outbound ? a_ : b_;
    StoreAdapter& to = outbound ? b_ : a_;
    sync::SyncState& from_state = outbound ? a_state_ : b_state_;
    sync::SyncState& to_state = outbound ? b_state_ : a_state_;
    auto msg = sync::GenerateMessage(from, from_state, kRelease);
    if (!msg) return Fail(outbound ? msg.error() : FromPeer(msg.error()));
    if (!*msg) return false;
    Bytes bytes = sync::EncodeMessage(**msg);
    ++report_.messages;
    report_.bytes += bytes.size();
    carried_changes_ = carried_changes_ || !(*msg)->changes.empty();
    if (options_.transit.deliver && !options_.transit.deliver(outbound, bytes))
      return true;  // lost in transit
    auto decoded = sync::DecodeMessage(bytes, kRelease);
    if (!decoded) {
      if (decoded.error().code() == ErrorCode::kVersionMismatch) return Fail(decoded.error());
      // Recovery resets transport state, never store truth.
      sync::ResetSession(to_state);
      Problem("malformed message dropped: " + decoded.error().message());
      return true;
    }
    auto received = sync::ReceiveMessage(to, to_state, *decoded);
    if (!received) {
      if (received.error().code() != ErrorCode::kProtocol)
        return Fail(outbound ? FromPeer(received.error()) : received.error());
      sync::ResetSession(to_state);
      Problem("message rejected: " + received.error().message());
      return true;
    }
    auto& applied = outbound ? report_.sent : report_.received;
    applied.insert(applied.end(), received->apply.applied.begin(), received->apply.applied.end());
    progressed_ =
        progressed_ || !received->apply.applied.empty() || !received->apply.pending.empty();
    for (const auto& r : received->apply.rejected) {
      Problem(fmt::format("{} refused change {}", outbound ? options_.peer_label : "this store",
                          r.reason));
    }
    for (auto& n : received->apply.notices) report_.notices.push_back(std::move(n));
    for (const auto& h : from_state.unsendable) {
      Problem(
          fmt::format("change {} is too large for one sync message (the payload limit is {} "
                      "MiB) and cannot be sent",
                      h.Short(), sync::kMaxDecompressedBytes >> 20));
    }
    return true;
  }

  StoreAdapter a_;
  StoreAdapter b_;
  sync::SyncState& a_state_;
  sync::SyncState& b_state_;
  const SessionOptions& options_;
  SessionReport report_;
  std::set<std::string> seen_problems_;
  bool carried_changes_ = false;  // this round moved changes...
  bool progressed_ = false;       // ...and some were applied or queued
};

}  // namespace

Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, const SessionOptions& options) {
  return Session(ours, theirs, our_state, their_state, options).Run();
}

Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, std::size_t max_rounds,
                                 const Transit& transit) {
  SessionOptions options;
  options.max_rounds = max_rounds;
  options.transit = transit;
  return SyncStores(ours, theirs, our_state, their_state, options);
}

}  // namespace weft::net
