// Syncing a store with a hub (docs/design/hub.md, "Devices"): pull every page
// after this device's position (each page applied in one transaction, the
// position kept after it), then push what the hub is not known to hold, in
// causal order, in messages of at most ~3 MiB. A hub whose history is not the one
// this device last saw (a new epoch, a restore) answers 410: the device takes the
// hub's clock, reads the log again from the start, and pushes what the hub lost.
// The report is the one a sync session makes, so verdicts, --confirm and exit
// codes mean the same as with any peer.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "model/change.h"
#include "net/hub_client.h"
#include "net/session_driver.h"
#include "store/hub_peers.h"
#include "store/store.h"

namespace weft::net {

struct HubSyncOptions {
  bool pull = false;  // receive only
  std::chrono::steady_clock::time_point deadline;
  // Called with the changes applied or pushed so far, for a progress line.
  std::function<void(std::size_t)> progress;
};

Result<SessionReport> SyncWithHub(Store& store, HubClient& hub, HubPeer& peer,
                                  const HubSyncOptions& options);

// Changes in an order where each one's deps that are among them come first;
// among the ready ones, by hash (the same order on every device).
std::vector<EncodedChange> CausalOrder(std::vector<EncodedChange> changes);

}  // namespace weft::net
