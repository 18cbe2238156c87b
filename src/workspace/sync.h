// Syncing with a peer as a person asks for it: one session over the carrier, and
// a verdict from what each side holds afterwards.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/file_carrier.h"
#include "net/http_peer.h"
#include "store/store.h"
#include "workspace/peers.h"

namespace weft::workspace {

struct SyncRequest {
  bool pull = false;  // receive only; the peer is opened read-only
  double timeout_s = 30;
  bool retry_unreachable = true;  // false: an unreachable peer fails at once
  // Non-empty: the cycle is recorded as a sync event with this trigger (cli,
  // start, timer, heads, event, eval) when the target is a registered peer.
  std::string trigger;
};

enum class SyncVerdict : std::uint8_t {
  kInSync,      // each side holds the other's heads
  kPulled,      // a pull: we hold every head of the peer's
  kRaced,       // both sides ran out of things to say; a commit during the sync differs
  kIncomplete,  // refused, timed out, stalled or out of rounds (`reason` says which)
};

struct SyncReport {
  std::string peer;  // the target's label
  net::SessionReport session;
  SyncVerdict verdict = SyncVerdict::kIncomplete;
  std::string reason;                         // for kIncomplete
  std::vector<std::string> arrived;           // names (and branches) bound by what arrived
  std::vector<ChangeHash> heads;              // ours, after the session
  int conflicts_auto_resolved = 0;            // open now, new or changed by the sync
  int conflicts_settled = 0;                  // settled by what arrived
  std::vector<std::string> staged_overtaken;  // staged edits the sync overtook
};
Result<SyncReport> SyncWithPeer(Store& store, const Target& target, const SyncRequest& request);

// How to reach the peer `t` at its URL as this device (`me`; none on plain http).
net::HttpPeerOptions HttpOptions(const Target& t, const net::DeviceIdentity* me,
                                 std::chrono::steady_clock::time_point deadline, bool pull);

struct CheckReport {
  std::string peer;
  std::optional<sync::Hello> hello;  // the peer's, when it could be read
  std::uint64_t to_pull = 0;
  std::uint64_t to_push = 0;
  std::optional<Error> impossible;  // why a sync is not possible
};
// Who the peer is and how many changes would move each way, from its hello.
Result<CheckReport> CheckPeer(Store& store, const Target& target);

}  // namespace weft::workspace
