// Peers as a person registers them, and the instance at the other end of a sync.
#pragma once

#include <string>
#include <vector>

#include "store/peers.h"
#include "store/store.h"

namespace weft::workspace {

// Registers `address` (a store directory) as `name`; returns the absolute path kept.
Result<std::string> RegisterPeer(Store& store, const std::string& name, const std::string& address);
Status ForgetPeer(Store& store, const std::string& name);
Result<std::vector<Peer>> Peers(Store& store);

// Where a sync goes: a registered peer, or a store directory given as a path.
struct Target {
  std::string label;    // the peer's name, or the path
  std::string address;  // store directory
  bool registered = false;
};
// `what` empty: every registered peer (kNotFound when there are none).
Result<std::vector<Target>> ResolveTargets(Store& store, const std::string& what);

}  // namespace weft::workspace
