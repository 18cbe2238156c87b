#include "net/session_driver.h"

namespace weft::net {
namespace {

class Driver {
 public:
  Driver(PeerSession& ours, Exchange& peer, const SessionOptions& options)
      : ours_(ours), peer_(peer), options_(options) {}

  Result<SessionReport> Run() {
    int fruitless = 0;
    for (report_.rounds = 0; report_.rounds < options_.max_rounds;) {
      if (options_.deadline && std::chrono::steady_clock::now() >= *options_.deadline) {
        report_.timed_out = true;
        break;
      }
      ++report_.rounds;
      WEFT_ASSIGN_OR_RETURN(bool spoke, Round());
      if (options_.progress) options_.progress(Summary());
      if (!spoke) {
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
    r.messages = ours_.messages_sent() + their_messages_;
    r.bytes = ours_.bytes_sent() + their_bytes_;
    r.received = ours_.applied();
    for (const auto& p : ours_.problems()) r.problems.push_back("this store " + p);
    r.problems.insert(r.problems.end(), their_problems_.begin(), their_problems_.end());
    r.notices = ours_.notices();
    r.notices.insert(r.notices.end(), their_notices_.begin(), their_notices_.end());
    return r;
  }

  // One round: our next messages (if any) there, theirs (if any) back. Returns
  // whether either side said something. When we have nothing to say and the peer
  // said it has nothing more either, the session is quiet without a round trip.
  Result<bool> Round() {
    carried_ = false;
    progressed_ = false;
    WEFT_ASSIGN_OR_RETURN(std::vector<Bytes> ours, NextBatch(ours_, peer_.TakesBatches()));
    const bool we_spoke = !ours.empty();
    if (!we_spoke && !peer_more_) return false;
    if (options_.transit.deliver) {
      std::erase_if(ours, [&](Bytes& m) { return !options_.transit.deliver(true, m); });
    }
    ++report_.round_trips;
    WEFT_ASSIGN_OR_RETURN(Reply reply, peer_.RoundTrip(std::move(ours)));
    carried_ = reply.carried;
    progressed_ = reply.progressed;
    peer_more_ = reply.more;
    report_.sent += reply.applied;
    for (auto& p : reply.problems) their_problems_.push_back(options_.peer_label + " " + p);
    for (auto& n : reply.notices) their_notices_.push_back(options_.peer_label + ": " + n);
    if (reply.messages.empty()) return we_spoke;
    for (Bytes& message : reply.messages) {
      ++their_messages_;
      their_bytes_ += message.size();
      if (options_.transit.deliver && !options_.transit.deliver(false, message)) continue;
      WEFT_ASSIGN_OR_RETURN(Delivery d, ours_.Take(message));
      carried_ = carried_ || ours_.last_carried_changes();
      progressed_ = progressed_ || !d.applied.empty() || !d.pending.empty();
      if (d.reset) break;
    }
    return true;
  }

  PeerSession& ours_;
  Exchange& peer_;
  const SessionOptions& options_;
  SessionReport report_;
  std::size_t their_messages_ = 0;
  std::size_t their_bytes_ = 0;
  std::vector<std::string> their_problems_;
  std::vector<std::string> their_notices_;
  bool peer_more_ = true;    // the peer may speak without hearing from us
  bool carried_ = false;     // this round moved changes...
  bool progressed_ = false;  // ...and some were applied or queued
};

}  // namespace

Result<SessionReport> RunSession(PeerSession& ours, Exchange& peer, const SessionOptions& options) {
  return Driver(ours, peer, options).Run();
}

}  // namespace weft::net
