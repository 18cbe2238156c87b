// What a device and a hub say to each other over HTTP (docs/design/hub.md,
// "Protocol"): the routes under /v1/t/<tenant>/ and the headers that carry a
// page's position. Bodies are sync messages (docs/wire-format.md), so a hub on
// another Release is refused before anything else is read.
#pragma once

#include <string>

namespace weft::net {

inline constexpr char kHubEpoch[] = "Weft-Hub-Epoch";      // the tenant's epoch
inline constexpr char kHubLatest[] = "Weft-Hub-Latest";    // the tenant's last arrival number
inline constexpr char kHubThrough[] = "Weft-Hub-Through";  // the page's last arrival number
inline constexpr char kHubMore[] = "Weft-Hub-More";        // 1: pages follow this one
inline constexpr int kHubMaxWaitS = 25;                    // longest long-poll

// A tenant's name: 1 to 64 of a-z, 0-9, _ and - (it goes into the routes' paths).
inline bool ValidTenantName(const std::string& name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

inline std::string HubPath(const std::string& tenant, const char* what) {
  return "/v1/t/" + tenant + "/" + what;
}

}  // namespace weft::net
