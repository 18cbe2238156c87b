#include "workspace/peers.h"

#include <filesystem>

#include "model/names.h"
#include "store/store_file.h"

namespace weft::workspace {

Result<std::string> RegisterPeer(Store& store, const std::string& name,
                                 const std::string& address) {
  WEFT_TRY(ValidateBranchName(name));  // same rules: short, no spaces
  if (!FileExists(StoreFilePath(address))) {
    return Fail(ErrorCode::kNotFound, "no weft store at {}", address);
  }
  std::error_code ec;
  std::string abs = std::filesystem::absolute(address, ec).lexically_normal().string();
  WEFT_TRY(AddPeer(store.db(), name, abs));
  return abs;
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
    for (auto& p : peers) out.push_back(Target{p.name, p.address, true});
    return out;
  }
  WEFT_ASSIGN_OR_RETURN(auto peer, FindPeer(store.db(), what));
  if (peer) return std::vector<Target>{Target{peer->name, peer->address, true}};
  if (FileExists(StoreFilePath(what))) return std::vector<Target>{Target{what, what, false}};
  return Fail(ErrorCode::kNotFound, "{} is neither a registered peer nor a weft store directory",
              what);
}

}  // namespace weft::workspace
