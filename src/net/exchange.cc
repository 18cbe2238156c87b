#include "net/exchange.h"

namespace weft::net {

Result<std::vector<Bytes>> NextBatch(PeerSession& session, bool batch) {
  std::vector<Bytes> out;
  std::size_t bytes = 0;
  do {
    WEFT_ASSIGN_OR_RETURN(std::optional<Bytes> next, session.Next());
    if (!next) break;
    bytes += next->size();
    out.push_back(std::move(*next));
    // A part is at most its budget once compressed, plus the message's framing.
  } while (batch && session.HasMoreToSend() && out.size() < kMaxBatchMessages &&
           bytes + sync::kMaxMessageBytes + (64u << 10) <= kMaxBatchBytes);
  return out;
}

Result<Reply> Responder::Respond(const std::vector<ByteView>& messages, bool batch) {
  Reply r;
  for (const ByteView& message : messages) {
    WEFT_ASSIGN_OR_RETURN(Delivery d, session_.Take(message));
    r.carried = r.carried || session_.last_carried_changes();
    r.progressed = r.progressed || !d.applied.empty() || !d.pending.empty();
    r.applied += d.applied.size();
    if (d.reset) {
      r.reset = true;
      break;
    }
  }
  WEFT_ASSIGN_OR_RETURN(r.messages, NextBatch(session_, batch));
  r.more = session_.HasMoreToSend();
  const auto& problems = session_.problems();
  r.problems.assign(problems.begin() + static_cast<std::ptrdiff_t>(problems_seen_), problems.end());
  problems_seen_ = problems.size();
  const auto& notices = session_.notices();
  r.notices.assign(notices.begin() + static_cast<std::ptrdiff_t>(notices_seen_), notices.end());
  notices_seen_ = notices.size();
  return r;
}

}  // namespace weft::net
