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
  std::optional<Bytes> message;  // the other side's next message; none when it is quiet
  bool carried = false;          // our message carried changes...
  bool progressed = false;       // ...and it applied or queued some
  std::size_t applied = 0;       // changes of ours it applied
  bool reset = false;            // ours was malformed: it restarted its session
  // New since the previous reply, one sentence each.
  std::vector<std::string> problems;
  std::vector<std::string> notices;
};

class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual Result<Reply> RoundTrip(std::optional<Bytes> ours) = 0;
};

// The answering side of an exchange, over its own PeerSession.
class Responder {
 public:
  // `session` must outlive the responder.
  explicit Responder(PeerSession& session) : session_(session) {}

  // Takes `message` (when there is one) and produces our next. Errors are the
  // session's: kVersionMismatch for another Release, a store error as it came.
  Result<Reply> Respond(std::optional<ByteView> message);

 private:
  PeerSession& session_;
  std::size_t problems_seen_ = 0;
  std::size_t notices_seen_ = 0;
};

}  // namespace weft::net
