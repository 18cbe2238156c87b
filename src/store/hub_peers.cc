#include "store/hub_peers.h"

#include "core/codec.h"

namespace weft {

Bytes EncodeHubClock(const std::vector<std::pair<ActorId, std::uint64_t>>& clock) {
  Writer w;
  w.PutVarint(clock.size());
  for (const auto& [actor, seq] : clock) {
    w.PutRaw(actor.bytes());
    w.PutVarint(seq);
  }
  return w.Take();
}

Result<std::vector<std::pair<ActorId, std::uint64_t>>> DecodeHubClock(ByteView bytes) {
  std::vector<std::pair<ActorId, std::uint64_t>> out;
  if (bytes.empty()) return out;
  Reader r(bytes);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n, r.GetVarintAtMost(r.remaining(), "hub clock"));
  for (std::uint64_t i = 0; i < n; ++i) {
    WEFT_ASSIGN_OR_RETURN(ByteView raw, r.GetRaw(ActorId::kSize));
    WEFT_ASSIGN_OR_RETURN(ActorId actor, ActorId::FromBytes(raw));
    WEFT_ASSIGN_OR_RETURN(std::uint64_t seq, r.GetVarint());
    out.emplace_back(actor, seq);
  }
  WEFT_TRY(r.ExpectEnd("a hub clock"));
  return out;
}

Status InsertHubPeer(Db& db, const std::string& name, const std::string& tenant,
                     const std::string& token_file) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("INSERT INTO hub_peers(name, tenant, token_file) VALUES(?, ?, ?)"));
  return q.Bind(name, tenant, token_file).Run();
}

Status DeleteHubPeer(Db& db, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(bool exists, db.TableExists("hub_peers"));
  if (!exists) return {};
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("DELETE FROM hub_peers WHERE name = ?"));
  return q.Bind(name).Run();
}

Result<std::optional<HubPeer>> FindHubPeer(Db& db, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(bool exists, db.TableExists("hub_peers"));
  if (!exists) return std::optional<HubPeer>();
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT tenant, token_file, epoch, cursor, "
                                            "cursor_hash, clock, seen, seen_hash FROM hub_peers "
                                            "WHERE name = ?"));
  q.Bind(name);
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<HubPeer>();
  HubPeer p{name, q.Text(0), q.Text(1), {}};
  p.cursor.epoch = q.Text(2);
  p.cursor.after = q.Int(3);
  if (!q.IsNull(4) && q.Blob(4).size() == kHashSize) p.cursor.at = ChangeHash::FromBytes(q.Blob(4));
  WEFT_ASSIGN_OR_RETURN(p.cursor.clock, DecodeHubClock(q.Blob(5)));
  p.cursor.seen = q.Int(6);
  if (!q.IsNull(7) && q.Blob(7).size() == kHashSize) {
    p.cursor.seen_at = ChangeHash::FromBytes(q.Blob(7));
  }
  return std::optional<HubPeer>(std::move(p));
}

Status SaveHubCursor(Db& db, const std::string& name, const HubCursor& c) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("UPDATE hub_peers SET epoch = ?, cursor = ?, "
                                            "cursor_hash = ?, clock = ?, seen = ?, seen_hash = ? "
                                            "WHERE name = ?"));
  const Bytes clock = EncodeHubClock(c.clock);
  q.Bind(c.epoch, c.after, c.at ? c.at->bytes() : ByteView(), ByteView(clock), c.seen,
         c.seen_at ? c.seen_at->bytes() : ByteView(), name);
  WEFT_TRY(q.Run());
  return tx.Commit();
}

}  // namespace weft
