#include "workspace/instance.h"

namespace weft::workspace {

Result<std::unique_ptr<Store>> CreateInstance(const std::string& dir,
                                              const std::string& instance_name) {
  WEFT_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, Store::Init(dir, instance_name));
  // The store is complete without it (it is made again on first use), so a
  // failure here is reported but leaves a usable store.
  WEFT_TRY(net::DeviceIdentity::LoadOrCreate(store->dir(), store->instance_name()));
  return store;
}

Result<std::string> DeviceIdOf(Store& store) {
  WEFT_ASSIGN_OR_RETURN(net::DeviceIdentity id,
                        net::DeviceIdentity::LoadOrCreate(store.dir(), store.instance_name()));
  return id.id().ToString();
}

}  // namespace weft::workspace
