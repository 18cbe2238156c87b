#include "net/file_carrier.h"

#include <filesystem>

#include "fold/open.h"
#include "net/session.h"
#include "net/session_keeper.h"
#include "net/store_adapter.h"
#include "store/schema.h"

namespace weft::net {
namespace {

// The other side, in this process: its errors name it, keeping their code.
class FileExchange : public Exchange {
 public:
  FileExchange(PeerSession& theirs, std::string label)
      : responder_(theirs), label_(std::move(label)) {}

  Result<Reply> RoundTrip(std::vector<Bytes> ours) override {
    std::vector<ByteView> views(ours.begin(), ours.end());
    auto reply = responder_.Respond(views, true);
    if (!reply && reply.error().code() != ErrorCode::kVersionMismatch) {
      return Fail(reply.error().code(), "the store of {}: {}", label_, reply.error().message());
    }
    return reply;
  }

 private:
  Responder responder_;
  std::string label_;
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
  FileExchange exchange(peer, options.peer_label);
  WEFT_ASSIGN_OR_RETURN(SessionReport report, RunSession(mine, exchange, options));
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
  // A peer's store of another Release is refused before it is opened: opening it
  // would upgrade it under a weft that cannot read it afterwards.
  if (auto release = StoredRelease(address); release && *release != kRelease) {
    return Fail(ErrorCode::kVersionMismatch, "{} is on Release {}, you are on {}: upgrade weft {}",
                label, *release, kRelease, *release > kRelease ? "here" : "there");
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
