// Peers as a person registers them, and the instance at the other end of a sync.
#pragma once

#include <string>
#include <vector>

#include "store/peers.h"
#include "store/store.h"

namespace weft::workspace {

// Registers a peer: `address` is a store directory (kept as an absolute path), an
// http(s) URL (kept normalised), or empty for a peer that only calls in;
// `device_id` is the id it proves over TLS (`weft id` prints it there) or
// `tailnet:LOGIN`. At least one of them is needed. Returns the address kept.
// `hub`: the peer is a hub (docs/design/hub.md): the address is its URL, and the
// tenant and token file say whose log to read and write.
Result<std::string> RegisterPeer(Store& store, const std::string& name, const std::string& address,
                                 const std::string& device_id = "",
                                 const std::optional<HubLink>& hub = std::nullopt);
Status ForgetPeer(Store& store, const std::string& name);
Result<std::vector<Peer>> Peers(Store& store);

// Where a sync goes: a registered peer, or a store directory given as a path.
struct Target {
  std::string label;    // the peer's name, or the path
  std::string address;  // store directory or URL
  bool registered = false;
  std::string device_id;  // registered id; empty when none
};
// `what` empty: every registered peer (kNotFound when there are none).
Result<std::vector<Target>> ResolveTargets(Store& store, const std::string& what);

}  // namespace weft::workspace
