#include "net/file_carrier.h"

#include <filesystem>

#include "fold/open.h"
#include "net/session.h"
#include "net/session_keeper.h"
#include "net/store_adapter.h"
#include "store/schema.h"

namespace weft::net {
namespace {

class Carrier {
 public:
  Carrier(PeerSession& ours, PeerSession& theirs, const SessionOptions& options)
      : ours_(ours), theirs_(theirs), options_(options) {}

  Result<SessionReport> Run() {
    int fruitless = 0;
    for (report_.rounds = 0; report_.rounds < options_.max_rounds;) {
      ++report_.rounds;
      carried_ = false;
      progressed_ = false;
      WEFT_ASSIGN_OR_RETURN(bool sent_a, Move(true));
      WEFT_ASSIGN_OR_RETURN(bool sent_b, Move(false));
      if (options_.progress) options_.progress(Summary());
      if (report_.timed_out) break;
      if (!sent_a && !sent_b) {
        report_.quiet = true;
        break;
      }
      fruitless = carried_ && !progressed_ ? fruitless + 1 : 0;
      if (fruitless >= 3) {
        report_.stalled = true;
        break;
      }
    }
    SessionReport out = Summary();
    out.peer = ours_.peer();
    WEFT_ASSIGN_OR_RETURN(out.missing_here, ours_.MissingHere());
    WEFT_ASSIGN_OR_RETURN(out.missing_there, ours_.MissingThere());
    WEFT_ASSIGN_OR_RETURN(bool held, ours_.PeerHoldsOurHeads());
    out.confirmed = held && out.missing_there.empty();
    return out;
  }

 private:
  SessionReport Summary() const {
    SessionReport r = report_;
    r.messages = ours_.messages_sent() + theirs_.messages_sent();
    r.bytes = ours_.bytes_sent() + theirs_.bytes_sent();
    r.received = ours_.applied();
    r.sent = theirs_.applied();
    for (const auto& p : ours_.problems()) r.problems.push_back("this store " + p);
    for (const auto& p : theirs_.problems()) r.problems.push_back(options_.peer_label + " " + p);
    r.notices = ours_.notices();
    for (const auto& n : theirs_.notices()) r.notices.push_back(options_.peer_label + ": " + n);
    return r;
  }

  // An error from the other side's store says so, keeping its code.
  Error FromPeer(const Error& e) const {
    return Error(e.code(), fmt::format("the store of {}: {}", options_.peer_label, e.message()));
  }

  // Moves one message, ours to theirs when `outbound`. Returns whether one was sent.
  Result<bool> Move(bool outbound) {
    if (options_.deadline && std::chrono::steady_clock::now() >= *options_.deadline) {
      report_.timed_out = true;
      return false;
    }
    PeerSession& from = outbound ? ours_ : theirs_;
    PeerSession& to = outbound ? theirs_ : ours_;
    auto next = from.Next();
    if (!next) return Fail(outbound ? next.error() : FromPeer(next.error()));
    if (!*next) return false;
    Bytes bytes = std::move(**next);
    if (options_.transit.deliver && !options_.transit.deliver(outbound, bytes)) return true;
    auto delivered = to.Take(bytes);
    if (!delivered) {
      if (delivered.error().code() == ErrorCode::kVersionMismatch) return Fail(delivered.error());
      return Fail(outbound ? FromPeer(delivered.error()) : delivered.error());
    }
    carried_ = carried_ || to.last_carried_changes();
    progressed_ = progressed_ || !delivered->applied.empty() || !delivered->pending.empty();
    return true;
  }

  PeerSession& ours_;
  PeerSession& theirs_;
  const SessionOptions& options_;
  SessionReport report_;
  bool carried_ = false;     // this round moved changes...
  bool progressed_ = false;  // ...and some were applied or queued
};

}  // namespace

Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, const SessionOptions& options) {
  StoreAdapter a(ours);
  StoreAdapter b(theirs);
  WEFT_ASSIGN_OR_RETURN(sync::Hello our_hello, a.Hello());
  auto their_hello = b.Hello();
  if (!their_hello) {
    return Fail(their_hello.error().code(), "the store of {}: {}", options.peer_label,
                their_hello.error().message());
  }
  PeerSession mine(a, our_state, std::move(our_hello), kRelease, options.keep_ours);
  PeerSession peer(
      b, their_state, std::move(*their_hello), kRelease,
      their_state.options.read_only ? SessionKeeper() : KeepSessionIn(theirs, std::nullopt));
  WEFT_ASSIGN_OR_RETURN(SessionReport report, Carrier(mine, peer, options).Run());
  WEFT_TRY(mine.Finish());
  if (auto kept = peer.Finish(); !kept) {
    return Fail(kept.error().code(), "the store of {}: {}", options.peer_label,
                kept.error().message());
  }
  return report;
}

Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, std::size_t max_rounds,
                                 const Transit& transit) {
  SessionOptions options;
  options.max_rounds = max_rounds;
  options.transit = transit;
  return SyncStores(ours, theirs, our_state, their_state, options);
}

Result<sync::Hello> PeerHello(Store& theirs) { return StoreAdapter(theirs).Hello(); }

Result<std::unique_ptr<Store>> OpenPeerStore(const std::string& label, const std::string& address,
                                             Store::Access access) {
  std::error_code ec;
  if (!std::filesystem::exists(address, ec)) {
    return Fail(ErrorCode::kUnavailable, "{} is not reachable: {} does not exist (is it mounted?)",
                label, address);
  }
  auto peer = OpenStore(address, access);
  if (peer) return peer;
  const Error& e = peer.error();
  if (e.code() == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kUnavailable, "{} is not reachable: no weft store at {}", label,
                address);
  }
  // Damaged, foreign, busy, unreadable, another Release: the peer's copy, its own code.
  return Fail(e.code(), "cannot sync with {}: {}", label, e.message());
}

}  // namespace weft::net
