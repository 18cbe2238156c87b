#include "net/session_keeper.h"

#include "store/peers.h"

namespace weft::net {

SessionKeeper KeepSessionIn(Store& store, std::optional<std::string> peer_name) {
  return [&store, peer_name = std::move(peer_name)](const sync::Hello& peer,
                                                    const sync::SyncState& state) {
    return RecordSession(store.db(), peer_name, peer_name ? sync::EncodeState(state) : Bytes(),
                         peer.actor, peer.instance);
  };
}

}  // namespace weft::net
