// An instance as a person makes and names it: a store and its device identity.
#pragma once

#include <memory>
#include <string>

#include "net/identity.h"
#include "store/store.h"

namespace weft::workspace {

// A new store in `dir`, with its device key pair and certificate.
Result<std::unique_ptr<Store>> CreateInstance(const std::string& dir,
                                              const std::string& instance_name);
// This instance's device id, making the identity first for a store made before
// identities existed.
Result<std::string> DeviceIdOf(Store& store);

}  // namespace weft::workspace
