#include "store/peers.h"

#include "store/hub_peers.h"

namespace weft {

Status RememberOwnActor(Db& db, const ActorId& actor) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("INSERT OR IGNORE INTO own_actors(actor) VALUES(?)"));
  return q.Bind(actor.bytes()).Run();
}

Result<bool> IsOwnActor(Db& db, const ActorId& actor) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT 1 FROM own_actors WHERE actor = ?"));
  q.Bind(actor.bytes());
  return q.Step();
}

Status RememberActorName(Db& db, const ActorId& actor, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("INSERT OR REPLACE INTO actor_names(actor, name) VALUES(?, ?)"));
  return q.Bind(actor.bytes(), name).Run();
}

Result<std::optional<std::string>> ActorName(Db& db, const ActorId& actor) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT name FROM actor_names WHERE actor = ?"));
  q.Bind(actor.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(q.Text(0));
}

Status AddPeer(Db& db, const std::string& name, const std::string& address,
               const std::string& device_id, const std::optional<HubLink>& hub) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(auto existing, FindPeer(db, name));
  if (existing) {
    return Fail(ErrorCode::kFailedPrecondition,
                "a peer named {} is already registered (remove it first: weft peer rm {})", name,
                name);
  }
  if (!device_id.empty()) {
    WEFT_ASSIGN_OR_RETURN(auto same, FindPeerByDevice(db, device_id));
    if (same) {
      return Fail(ErrorCode::kFailedPrecondition, "device {} is already registered as {}",
                  device_id, same->name);
    }
    WEFT_ASSIGN_OR_RETURN(Query d,
                          db.Prepare("INSERT INTO peer_devices(name, device_id) VALUES(?, ?)"));
    WEFT_TRY(d.Bind(name, device_id).Run());
  }
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("INSERT INTO peers(name, address, sync_state) VALUES(?, ?, x'')"));
  WEFT_TRY(q.Bind(name, address).Run());
  if (hub) WEFT_TRY(InsertHubPeer(db, name, hub->tenant, hub->token_file));
  return tx.Commit();
}

Status RemovePeer(Db& db, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("DELETE FROM peers WHERE name = ?"));
  WEFT_TRY(q.Bind(name).Run());
  if (db.Changes() == 0) return Fail(ErrorCode::kNotFound, "no peer named {}", name);
  WEFT_ASSIGN_OR_RETURN(Query d, db.Prepare("DELETE FROM peer_devices WHERE name = ?"));
  WEFT_TRY(d.Bind(name).Run());
  WEFT_TRY(DeleteHubPeer(db, name));
  return tx.Commit();
}

Status RecordSession(Db& db, const std::optional<std::string>& peer, const Bytes& state,
                     const ActorId& their_actor, const std::string& their_name) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  if (peer) WEFT_TRY(SavePeerState(db, *peer, state));
  WEFT_TRY(RememberActorName(db, their_actor, their_name));
  return tx.Commit();
}

Result<std::vector<Peer>> ListPeers(Db& db) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT p.name, p.address, p.sync_state, coalesce(d.device_id, '') "
                          "FROM peers p LEFT JOIN peer_devices d ON d.name = p.name "
                          "ORDER BY p.name"));
  std::vector<Peer> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    ByteView s = q.Blob(2);
    out.push_back(Peer{q.Text(0), q.Text(1), Bytes(s.begin(), s.end()), q.Text(3)});
  }
}

Result<std::optional<Peer>> FindPeerByDevice(Db& db, const std::string& device_id) {
  WEFT_ASSIGN_OR_RETURN(auto all, ListPeers(db));
  for (auto& p : all) {
    if (!device_id.empty() && p.device_id == device_id) return std::optional<Peer>(std::move(p));
  }
  return std::optional<Peer>();
}

Result<std::optional<Peer>> FindPeer(Db& db, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(auto all, ListPeers(db));
  for (auto& p : all) {
    if (p.name == name) return std::optional<Peer>(std::move(p));
  }
  return std::optional<Peer>();
}

Status SavePeerState(Db& db, const std::string& name, const Bytes& state) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("UPDATE peers SET sync_state = ? WHERE name = ?"));
  return q.Bind(state, name).Run();
}

}  // namespace weft
