#include "store/sync_events.h"

#include <map>

namespace weft {
namespace {

constexpr const char* kColumns =
    "id, at_ms, peer, trigger, direction, pulled, pushed, names, conflicts, their_release, "
    "error, duration_ms";

SyncEvent Read(const Query& q) {
  SyncEvent e;
  e.id = q.Int(0);
  e.at_ms = q.Int(1);
  e.peer = q.Text(2);
  e.trigger = q.Text(3);
  e.direction = q.Text(4);
  e.pulled = q.Int(5);
  e.pushed = q.Int(6);
  e.names = q.Text(7);
  e.conflicts = q.Int(8);
  if (!q.IsNull(9)) e.their_release = q.Int(9);
  e.error = q.Text(10);
  e.duration_ms = q.Int(11);
  return e;
}

Result<std::optional<SyncEvent>> One(Db& db, const std::string& sql, const std::string& peer) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
  q.Bind(peer);
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<SyncEvent>();
  return std::optional<SyncEvent>(Read(q));
}

}  // namespace

Result<std::int64_t> RecordSyncEvent(Db& db, const SyncEvent& e, std::int64_t keep) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("INSERT INTO sync_events(at_ms, peer, trigger, direction, pulled, pushed, names, "
                 "conflicts, their_release, error, duration_ms) "
                 "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  if (e.their_release) {
    q.Bind(e.at_ms, e.peer, e.trigger, e.direction, e.pulled, e.pushed, e.names, e.conflicts,
           *e.their_release, e.error, e.duration_ms);
  } else {
    q.Bind(e.at_ms, e.peer, e.trigger, e.direction, e.pulled, e.pushed, e.names, e.conflicts,
           std::nullopt, e.error, e.duration_ms);
  }
  WEFT_TRY(q.Run());
  WEFT_ASSIGN_OR_RETURN(std::int64_t id, db.QueryInt("SELECT last_insert_rowid()"));
  WEFT_ASSIGN_OR_RETURN(Query trim, db.Prepare("DELETE FROM sync_events WHERE id <= ?"));
  WEFT_TRY(trim.Bind(id - keep).Run());
  WEFT_TRY(tx.Commit());
  return id;
}

Result<std::vector<SyncEvent>> ListSyncEvents(Db& db, const std::string& peer, std::int64_t limit) {
  const std::string sql = fmt::format(
      "SELECT {} FROM sync_events WHERE (? = '' OR peer = ?) ORDER BY id DESC LIMIT ?", kColumns);
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
  q.Bind(peer, peer, limit);
  std::vector<SyncEvent> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    out.push_back(Read(q));
  }
  return out;
}

Result<std::vector<PeerSyncSummary>> SummarizeSyncEvents(Db& db) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT DISTINCT peer FROM sync_events ORDER BY peer"));
  std::vector<std::string> peers;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    peers.push_back(q.Text(0));
  }
  const std::string ok = fmt::format(
      "SELECT {} FROM sync_events WHERE peer = ? AND error = '' ORDER BY id DESC LIMIT 1",
      kColumns);
  const std::string failed = fmt::format(
      "SELECT {} FROM sync_events WHERE peer = ? AND error != '' ORDER BY id DESC LIMIT 1",
      kColumns);
  std::vector<PeerSyncSummary> out;
  for (const std::string& p : peers) {
    PeerSyncSummary s;
    s.peer = p;
    WEFT_ASSIGN_OR_RETURN(s.last_success, One(db, ok, p));
    WEFT_ASSIGN_OR_RETURN(s.last_error, One(db, failed, p));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace weft
