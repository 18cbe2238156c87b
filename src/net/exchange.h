// Exchange: one round trip with the other side of a sync session, whatever
// carries it. The driver (net/session_driver.h) hands it our next message, or
// none when we have nothing to say; the other side takes it, answers with its own
// next message (or none), and says what it did with ours. The file carrier runs
// the other side in this process; HTTP runs it in `weft serve` (net/sync_server.h),
// which answers through the same Responder.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "net/session.h"

namespace weft::net {

struct Reply {
  // The other side's next messages, in order (a delta too large for one message
  // goes back to back); none when it is quiet.
  std::vector<Bytes> messages;
  bool more = true;         // it may have more to say before it hears from us again
  bool carried = false;     // our messages carried changes...
  bool progressed = false;  // ...and it applied or queued some
  std::size_t applied = 0;  // changes of ours it applied
  bool reset = false;       // ours was malformed: it restarted its session
  // New since the previous reply, one sentence each.
  std::vector<std::string> problems;
  std::vector<std::string> notices;
};

// What one round trip carries each way at most: the parts of a delta go back to
// back (each one message of at most sync::kMaxMessageBytes before compression)
// while one more part still fits under this, which is what either side reads of
// one HTTP body. Memory stays flat in the size of the delta, and a large delta
// costs few round trips.
inline constexpr std::size_t kMaxBatchBytes = 16u << 20;
inline constexpr std::size_t kMaxBatchMessages = 64;

class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual Result<Reply> RoundTrip(std::vector<Bytes> ours) = 0;
  // Whether the other side takes several messages in one round trip (an older
  // server over HTTP takes one).
  virtual bool TakesBatches() const { return true; }
};

// Our next messages for one round trip: the next one, then, when `batch`, the
// following parts of a delta while they fit (kMaxBatchBytes). Empty when quiet.
Result<std::vector<Bytes>> NextBatch(PeerSession& session, bool batch);

// The answering side of an exchange, over its own PeerSession.
class Responder {
 public:
  // `session` must outlive the responder.
  explicit Responder(PeerSession& session) : session_(session) {}

  // Takes `messages` in order and produces our next ones (several only when
  // `batch`: the other side reads a batch). Errors are the session's:
  // kVersionMismatch for another Release, a store error as it came.
  Result<Reply> Respond(const std::vector<ByteView>& messages, bool batch);

 private:
  PeerSession& session_;
  std::size_t problems_seen_ = 0;
  std::size_t notices_seen_ = 0;
};

}  // namespace weft::net
