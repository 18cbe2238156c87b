#include "workspace/hub_peer.h"

#include <filesystem>

#include "core/progress.h"
#include "net/hub_client.h"
#include "net/hub_sync.h"
#include "net/hub_wire.h"
#include "store/hub_peers.h"

namespace weft::workspace {
namespace {

Result<std::unique_ptr<net::HubClient>> OpenHub(const HubPeer& peer, const std::string& address,
                                                std::chrono::steady_clock::time_point deadline,
                                                bool retry_unreachable = true) {
  WEFT_ASSIGN_OR_RETURN(net::PeerUrl url, net::ParsePeerUrl(address));
  WEFT_ASSIGN_OR_RETURN(std::string token, net::ReadTokenFile(peer.token_file));
  return net::HubClient::Open(
      url, {peer.name, peer.tenant, std::move(token), deadline, retry_unreachable});
}

Result<HubPeer> Find(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(auto peer, FindHubPeer(store.db(), name));
  if (!peer) return Fail(ErrorCode::kNotFound, "{} is not a hub", name);
  return std::move(*peer);
}

}  // namespace

Result<std::string> CheckHubLink(const std::string& tenant, const std::string& token_file) {
  if (!net::ValidTenantName(tenant)) {
    return Fail(ErrorCode::kInvalidArgument,
                "a tenant's name is 1 to 64 of a-z, 0-9, _ and -, not '{}'", tenant);
  }
  if (token_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a hub needs --token-file (weft hub token create)");
  }
  std::error_code ec;
  const std::string path = std::filesystem::absolute(token_file, ec).lexically_normal().string();
  WEFT_TRY(net::ReadTokenFile(path));
  return path;
}

Result<bool> IsHub(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(auto peer, FindHubPeer(store.db(), name));
  return peer.has_value();
}

Result<net::SessionReport> SyncOverHub(Store& store, const std::string& name,
                                       const std::string& address, bool pull,
                                       bool retry_unreachable,
                                       std::chrono::steady_clock::time_point deadline) {
  WEFT_ASSIGN_OR_RETURN(HubPeer peer, Find(store, name));
  WEFT_ASSIGN_OR_RETURN(auto hub, OpenHub(peer, address, deadline, retry_unreachable));
  net::HubSyncOptions o;
  o.pull = pull;
  o.deadline = deadline;
  std::size_t counted = 0;
  o.progress = [&counted](std::size_t n) {
    if (n > counted) progress::Advance(n - counted);
    counted = std::max(counted, n);
  };
  return net::SyncWithHub(store, *hub, peer, o);
}

Result<sync::Hello> HubHello(Store& store, const std::string& name, const std::string& address) {
  WEFT_ASSIGN_OR_RETURN(HubPeer peer, Find(store, name));
  WEFT_ASSIGN_OR_RETURN(
      auto hub,
      OpenHub(peer, address, std::chrono::steady_clock::now() + std::chrono::seconds(10)));
  WEFT_ASSIGN_OR_RETURN(net::HubClock clock, hub->Clock());
  clock.hello.instance = "hub " + peer.tenant;
  return std::move(clock.hello);
}

}  // namespace weft::workspace
