// The health document (`GET /v1/health`) and its reading on the client side: the
// hello's fields (instance, actor, change count, per-actor clock) plus the
// Release, heads and device id, as JSON (docs/design/network.md lists them).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sync/message.h"

namespace weft::net {

struct Health {
  std::int64_t release = 0;
  sync::Hello hello;
  std::vector<ChangeHash> heads;
  std::string device_id;
};

nlohmann::json HealthToJson(const Health& h);
// kProtocol when a field is missing or malformed. The caller checks the Release
// first: another Release's document may differ in everything else.
Result<Health> HealthFromJson(const nlohmann::json& doc);

}  // namespace weft::net
