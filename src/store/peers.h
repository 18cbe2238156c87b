// Registered peers: a name, an address (a store directory or an http(s) URL; empty
// for a peer that only calls in), the device id it proves over TLS (empty when
// none was given) and the persisted part of the sync state. Canonical local data;
// never synced.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "model/ids.h"
#include "store/sqlite.h"

namespace weft {

struct Peer {
  std::string name;
  std::string address;
  Bytes sync_state;
  std::string device_id;  // as net::DeviceId prints it; empty when none
};

// A peer that is a hub (store/hub_peers.h): its tenant and token file.
struct HubLink {
  std::string tenant;
  std::string token_file;
};

// Each in a transaction of its own.
Status AddPeer(Db& db, const std::string& name, const std::string& address,
               const std::string& device_id = "", const std::optional<HubLink>& hub = std::nullopt);
Status RemovePeer(Db& db, const std::string& name);
Result<std::vector<Peer>> ListPeers(Db& db);
Result<std::optional<Peer>> FindPeer(Db& db, const std::string& name);
Result<std::optional<Peer>> FindPeerByDevice(Db& db, const std::string& device_id);
Status SavePeerState(Db& db, const std::string& name, const Bytes& state);
// What one side keeps after a sync session, in one transaction: the persisted
// sync state of `peer` (when it is registered here) and the peer's instance name.
Status RecordSession(Db& db, const std::optional<std::string>& peer, const Bytes& state,
                     const ActorId& their_actor, const std::string& their_name);

// Instance names of the actors we have synced with, learned from their stores,
// so history can say "desktop" rather than an actor id. Local; never synced.
Status RememberActorName(Db& db, const ActorId& actor, const std::string& name);
Result<std::optional<std::string>> ActorName(Db& db, const ActorId& actor);

// Every actor this store has authored as (a store re-mints its actor when it moves
// host or path), so "mine" still means mine after a move. Local; never synced.
Status RememberOwnActor(Db& db, const ActorId& actor);
Result<bool> IsOwnActor(Db& db, const ActorId& actor);

}  // namespace weft
