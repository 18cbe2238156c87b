#include "workspace/peers.h"

#include <filesystem>

#include "model/names.h"
#include "net/http_peer.h"
#include "store/store_file.h"
#include "workspace/hub_peer.h"

namespace weft::workspace {

namespace {

// The canonical form of a device id as given on the command line.
Result<std::string> CanonicalDeviceId(const std::string& id) {
  if (id.starts_with("tailnet:")) {
    const std::string login = id.substr(8);
    if (login.empty() || login.size() > 200 ||
        login.find_first_of(" \t\r\n") != std::string::npos) {
      return Fail(ErrorCode::kInvalidArgument, "'{}' is not a tailnet identity (tailnet:LOGIN)",
                  id);
    }
    return id;
  }
  WEFT_ASSIGN_OR_RETURN(net::DeviceId parsed, net::DeviceId::Parse(id));
  return parsed.ToString();
}

}  // namespace

Result<std::string> RegisterPeer(Store& store, const std::string& name, const std::string& address,
                                 const std::string& device_id, const std::optional<HubLink>& hub) {
  WEFT_TRY(ValidateBranchName(name));  // same rules: short, no spaces
  std::optional<HubLink> link;
  if (hub) {
    if (!net::LooksLikeUrl(address) || !device_id.empty()) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "a hub is reached at its URL (http(s)://HOST:PORT) with a token, not a device id");
    }
    WEFT_ASSIGN_OR_RETURN(std::string token_file, CheckHubLink(hub->tenant, hub->token_file));
    link = HubLink{hub->tenant, token_file};
  }
  if (address.empty() && device_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "a peer needs an address (a store directory or URL), a device id (--id), or both");
  }
  std::string id;
  if (!device_id.empty()) {
    WEFT_ASSIGN_OR_RETURN(id, CanonicalDeviceId(device_id));
  }
  std::string kept;
  if (net::LooksLikeUrl(address)) {
    WEFT_ASSIGN_OR_RETURN(net::PeerUrl url, net::ParsePeerUrl(address));
    if (id.starts_with("tailnet:")) {
      return Fail(ErrorCode::kInvalidArgument,
                  "a tailnet identity is for peers that call in; give {} its device id instead",
                  name);
    }
    kept = url.text;
  } else if (!address.empty()) {
    if (!FileExists(StoreFilePath(address))) {
      return Fail(ErrorCode::kNotFound, "no weft store at {}", address);
    }
    std::error_code ec;
    kept = std::filesystem::absolute(address, ec).lexically_normal().string();
  }
  WEFT_TRY(AddPeer(store.db(), name, kept, id, link));
  return kept;
}

Status ForgetPeer(Store& store, const std::string& name) { return RemovePeer(store.db(), name); }

Result<std::vector<Peer>> Peers(Store& store) { return ListPeers(store.db()); }

Result<std::vector<Target>> ResolveTargets(Store& store, const std::string& what) {
  std::vector<Target> out;
  if (what.empty()) {
    WEFT_ASSIGN_OR_RETURN(auto peers, ListPeers(store.db()));
    if (peers.empty()) {
      return Fail(ErrorCode::kNotFound,
                  "no peers registered (add one with `weft peer add NAME PATH`)");
    }
    for (auto& p : peers) {
      if (!p.address.empty()) out.push_back(Target{p.name, p.address, true, p.device_id});
    }
    if (out.empty()) {
      return Fail(ErrorCode::kNotFound,
                  "no peer has an address (those registered only call in); add one with `weft "
                  "peer add NAME URL --id ID`");
    }
    return out;
  }
  WEFT_ASSIGN_OR_RETURN(auto peer, FindPeer(store.db(), what));
  if (peer) {
    if (peer->address.empty()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "{} has no address: it only calls in (give it one with `weft peer rm {}` and "
                  "`weft peer add {} URL --id {}`)",
                  peer->name, peer->name, peer->name, peer->device_id);
    }
    return std::vector<Target>{Target{peer->name, peer->address, true, peer->device_id}};
  }
  if (net::LooksLikeUrl(what)) {
    WEFT_ASSIGN_OR_RETURN(net::PeerUrl url, net::ParsePeerUrl(what));
    return std::vector<Target>{Target{url.text, url.text, false, ""}};
  }
  if (FileExists(StoreFilePath(what))) return std::vector<Target>{Target{what, what, false, ""}};
  return Fail(ErrorCode::kNotFound, "{} is neither a registered peer nor a weft store directory",
              what);
}

}  // namespace weft::workspace
