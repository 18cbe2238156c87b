#include "net/exchange.h"

namespace weft::net {

Result<Reply> Responder::Respond(std::optional<ByteView> message) {
  Reply r;
  if (message) {
    WEFT_ASSIGN_OR_RETURN(Delivery d, session_.Take(*message));
    r.carried = session_.last_carried_changes();
    r.progressed = !d.applied.empty() || !d.pending.empty();
    r.applied = d.applied.size();
    r.reset = d.reset;
  }
  WEFT_ASSIGN_OR_RETURN(r.message, session_.Next());
  const auto& problems = session_.problems();
  r.problems.assign(problems.begin() + static_cast<std::ptrdiff_t>(problems_seen_), problems.end());
  problems_seen_ = problems.size();
  const auto& notices = session_.notices();
  r.notices.assign(notices.begin() + static_cast<std::ptrdiff_t>(notices_seen_), notices.end());
  notices_seen_ = notices.size();
  return r;
}

}  // namespace weft::net
