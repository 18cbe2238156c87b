// A hub as a peer (docs/design/hub.md, "Devices"): registering one, and the
// session and hello a sync or `sync check` gets from it.
#pragma once

#include <chrono>
#include <string>

#include "net/session_driver.h"
#include "store/store.h"
#include "sync/message.h"

namespace weft::workspace {

// Checks the tenant's name and that the token file can be read (a regular file
// only its owner reads); returns the token file's absolute path.
Result<std::string> CheckHubLink(const std::string& tenant, const std::string& token_file);

// Whether the registered peer `name` is a hub.
Result<bool> IsHub(Store& store, const std::string& name);

// One sync with the registered hub `name` at `address`, until `deadline`.
Result<net::SessionReport> SyncOverHub(Store& store, const std::string& name,
                                       const std::string& address, bool pull,
                                       bool retry_unreachable,
                                       std::chrono::steady_clock::time_point deadline);
// The hub's clock as a hello (instance "hub TENANT").
Result<sync::Hello> HubHello(Store& store, const std::string& name, const std::string& address);

}  // namespace weft::workspace
