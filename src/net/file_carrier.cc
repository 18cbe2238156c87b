#include "net/file_carrier.h"

#include "net/store_adapter.h"
#include "store/schema.h"

namespace weft::net {
namespace {

// Moves one message from `from` to `to`. Returns whether a message was sent.
Result<bool> Step(StoreAdapter& from, sync::SyncState& from_state, StoreAdapter& to,
                  sync::SyncState& to_state, bool outbound, const Transit& transit,
                  SessionReport& report) {
  WEFT_ASSIGN_OR_RETURN(auto msg, sync::GenerateMessage(from, from_state, kRelease));
  if (!msg) return false;
  Bytes bytes = sync::EncodeMessage(*msg);
  ++report.messages;
  report.bytes += bytes.size();
  if (transit.deliver && !transit.deliver(outbound, bytes)) return true;  // lost in transit
  auto decoded = sync::DecodeMessage(bytes, kRelease);
  if (!decoded) {
    if (decoded.error().code() == ErrorCode::kVersionMismatch) return Fail(decoded.error());
    // Recovery resets transport state, never store truth.
    sync::ResetSession(to_state);
    report.problems.push_back("malformed message dropped: " + decoded.error().message());
    return true;
  }
  auto received = sync::ReceiveMessage(to, to_state, *decoded);
  if (!received) {
    if (received.error().code() != ErrorCode::kProtocol) return Fail(received.error());
    sync::ResetSession(to_state);
    report.problems.push_back("message rejected: " + received.error().message());
    return true;
  }
  auto& applied = outbound ? report.sent : report.received;
  applied.insert(applied.end(), received->apply.applied.begin(), received->apply.applied.end());
  for (const auto& r : received->apply.rejected) report.problems.push_back("rejected " + r);
  return true;
}

}  // namespace

Result<SessionReport> SyncStores(Store& ours, Store& theirs, sync::SyncState& our_state,
                                 sync::SyncState& their_state, std::size_t max_rounds,
                                 const Transit& transit) {
  StoreAdapter a(ours);
  StoreAdapter b(theirs);
  SessionReport report;
  for (report.rounds = 0; report.rounds < max_rounds;) {
    ++report.rounds;
    WEFT_ASSIGN_OR_RETURN(bool sent_a, Step(a, our_state, b, their_state, true, transit, report));
    WEFT_ASSIGN_OR_RETURN(bool sent_b, Step(b, their_state, a, our_state, false, transit, report));
    if (!sent_a && !sent_b) {
      report.quiet = true;
      break;
    }
  }
  return report;
}

}  // namespace weft::net
