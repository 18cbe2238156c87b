// Peers that are hubs (docs/design/hub.md, "Devices"): the tenant, where the
// token is kept (a file: the secret never enters the store), and how far this
// device has read the tenant's log — the epoch, the last arrival number pulled
// with the hash of the change there, and what the hub is known to hold of each
// actor (learned from pulls, pushes and the hub's clock). Canonical local data;
// never synced. The row goes with the peer's `peers` row.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/ids.h"
#include "store/sqlite.h"

namespace weft {

struct HubCursor {
  std::string epoch;  // empty: never synced
  std::int64_t after = 0;
  std::optional<ChangeHash> at;  // the change at `after`
  // The highest-numbered change this device knows the hub holds, and its hash:
  // its last push, or the last it pulled (net/hub_sync.h, "witness").
  std::int64_t seen = 0;
  std::optional<ChangeHash> seen_at;
  std::vector<std::pair<ActorId, std::uint64_t>> clock;  // by actor
};

struct HubPeer {
  std::string name;
  std::string tenant;
  std::string token_file;
  HubCursor cursor;
};

// Adds the hub side of the peer `name`, inside the caller's transaction.
Status InsertHubPeer(Db& db, const std::string& name, const std::string& tenant,
                     const std::string& token_file);
Status DeleteHubPeer(Db& db, const std::string& name);
// nullopt when `name` is not a hub (or the store predates hubs and is read-only).
Result<std::optional<HubPeer>> FindHubPeer(Db& db, const std::string& name);
// In a transaction of its own.
Status SaveHubCursor(Db& db, const std::string& name, const HubCursor& cursor);

// The clock as kept: varint(n) {actor(16) varint(seq)}.
Bytes EncodeHubClock(const std::vector<std::pair<ActorId, std::uint64_t>>& clock);
Result<std::vector<std::pair<ActorId, std::uint64_t>>> DecodeHubClock(ByteView bytes);

}  // namespace weft
