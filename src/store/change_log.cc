#include "store/change_log.h"

namespace weft {
namespace {

Bytes DepsBlob(const std::vector<ChangeHash>& deps) {
  Bytes out;
  out.reserve(deps.size() * kHashSize);
  for (const auto& d : deps) out.insert(out.end(), d.digest().begin(), d.digest().end());
  return out;
}

}  // namespace

Result<bool> HasChange(Db& db, const ChangeHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT 1 FROM changes WHERE hash = ?"));
  q.Bind(hash.bytes());
  return q.Step();
}

Status InsertChange(Db& db, const EncodedChange& c) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("INSERT INTO changes(hash, actor, seq, hlc, branch, deps, bytes) "
                          "VALUES(?, ?, ?, ?, ?, ?, ?)"));
  return q
      .Bind(c.hash.bytes(), c.change.actor.bytes(), c.change.seq, c.change.hlc.packed(),
            c.change.branch, DepsBlob(c.change.deps), c.bytes)
      .Run();
}

Result<std::optional<EncodedChange>> LoadChange(Db& db, const ChangeHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT bytes FROM changes WHERE hash = ?"));
  q.Bind(hash.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<EncodedChange>();
  ByteView b = q.Blob(0);
  auto decoded = EncodedChange::FromBytes(Bytes(b.begin(), b.end()));
  if (!decoded || decoded->hash != hash) {
    return Fail(ErrorCode::kCorruption, "stored change {} is damaged", hash.Short());
  }
  return std::optional<EncodedChange>(std::move(*decoded));
}

Result<std::optional<ChangeMeta>> LoadChangeMeta(Db& db, const ChangeHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT actor, seq, hlc, branch FROM changes WHERE hash = ?"));
  q.Bind(hash.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<ChangeMeta>();
  WEFT_ASSIGN_OR_RETURN(ActorId actor, ActorId::FromBytes(q.Blob(0)));
  return std::optional<ChangeMeta>(ChangeMeta{actor, static_cast<std::uint64_t>(q.Int(1)),
                                              Hlc(static_cast<std::uint64_t>(q.Int(2))),
                                              q.Text(3)});
}

Result<std::optional<ChangeHash>> ChangeAtSeq(Db& db, const ActorId& actor, std::uint64_t seq) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT hash FROM changes WHERE actor = ? AND seq = ?"));
  q.Bind(actor.bytes(), seq);
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<ChangeHash>();
  return std::optional<ChangeHash>(ChangeHash::FromBytes(q.Blob(0)));
}

Result<std::uint64_t> MaxSeq(Db& db, const ActorId& actor) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE actor = ?"));
  q.Bind(actor.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  (void)row;
  return static_cast<std::uint64_t>(q.Int(0));
}

Result<std::int64_t> CountChanges(Db& db) { return db.QueryInt("SELECT COUNT(*) FROM changes"); }

Result<std::vector<ChangeHash>> FindChangesByPrefix(Db& db, std::string_view prefix, int limit) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT hash FROM changes WHERE hex(hash) LIKE ? LIMIT ?"));
  q.Bind(HexPrefixPattern(prefix), limit);
  return CollectHashes<ChangeHash>(q);
}

Status ForEachChange(Db& db, const std::function<Status(const EncodedChange&)>& visit) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT hash, bytes FROM changes ORDER BY id"));
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return {};
    ByteView b = q.Blob(1);
    ChangeHash stored = ChangeHash::FromBytes(q.Blob(0));
    auto decoded = EncodedChange::FromBytes(Bytes(b.begin(), b.end()));
    if (!decoded || decoded->hash != stored) {
      return Fail(ErrorCode::kCorruption, "stored change {} is damaged", stored.Short());
    }
    WEFT_TRY(visit(*decoded));
  }
}

Result<std::vector<EncodedChange>> ChangesOfActorFrom(Db& db, const ActorId& actor,
                                                      std::uint64_t from_seq) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT hash FROM changes WHERE actor = ? AND seq >= ? ORDER BY seq"));
  q.Bind(actor.bytes(), from_seq);
  WEFT_ASSIGN_OR_RETURN(auto hashes, CollectHashes<ChangeHash>(q));
  std::vector<EncodedChange> out;
  for (const ChangeHash& h : hashes) {
    WEFT_ASSIGN_OR_RETURN(auto c, LoadChange(db, h));
    if (c) out.push_back(std::move(*c));
  }
  return out;
}

Result<std::vector<DependentChange>> ChangesDependingOn(Db& db,
                                                        const std::set<ChangeHash>& targets) {
  std::vector<DependentChange> out;
  {
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT hash, deps FROM changes ORDER BY id"));
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      ByteView deps = q.Blob(1);
      for (std::size_t i = 0; i + kHashSize <= deps.size(); i += kHashSize) {
        if (targets.contains(ChangeHash::FromBytes(deps.subspan(i, kHashSize)))) {
          out.push_back({ChangeHash::FromBytes(q.Blob(0)), false});
          break;
        }
      }
    }
  }
  WEFT_ASSIGN_OR_RETURN(Query p, db.Prepare("SELECT dep, waiting FROM pending_deps"));
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, p.Step());
    if (!row) break;
    if (targets.contains(ChangeHash::FromBytes(p.Blob(0))))
      out.push_back({ChangeHash::FromBytes(p.Blob(1)), true});
  }
  return out;
}

Status DeleteChange(Db& db, const ChangeHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("DELETE FROM changes WHERE hash = ?"));
  return q.Bind(hash.bytes()).Run();
}

bool IndexColumnsAgree(const Change& c, ByteView actor, std::int64_t seq, std::int64_t hlc,
                       std::string_view branch, ByteView deps) {
  bool agrees = actor.size() == ActorId::kSize &&
                std::equal(actor.begin(), actor.end(), c.actor.bytes().begin()) &&
                static_cast<std::uint64_t>(seq) == c.seq &&
                static_cast<std::uint64_t>(hlc) == c.hlc.packed() && branch == c.branch &&
                deps.size() == c.deps.size() * kHashSize;
  for (std::size_t i = 0; agrees && i < c.deps.size(); ++i) {
    agrees = std::equal(c.deps[i].digest().begin(), c.deps[i].digest().end(),
                        deps.begin() + static_cast<std::ptrdiff_t>(i * kHashSize));
  }
  return agrees;
}

Status ForEachChangeRepairingColumns(Db& db,
                                     const std::function<Status(const EncodedChange&)>& visit,
                                     std::int64_t* repaired) {
  std::vector<EncodedChange> damaged;
  {
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT hash, bytes, actor, seq, hlc, branch, deps "
                                              "FROM changes ORDER BY id"));
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      ByteView b = q.Blob(1);
      ChangeHash stored = ChangeHash::FromBytes(q.Blob(0));
      auto decoded = EncodedChange::FromBytes(Bytes(b.begin(), b.end()));
      if (!decoded || decoded->hash != stored) {
        return Fail(ErrorCode::kCorruption, "stored change {} is damaged", stored.Short());
      }
      if (!IndexColumnsAgree(decoded->change, q.Blob(2), q.Int(3), q.Int(4), q.Text(5), q.Blob(6)))
        damaged.push_back(*decoded);
      WEFT_TRY(visit(*decoded));
    }
  }
  for (const EncodedChange& e : damaged) {
    WEFT_ASSIGN_OR_RETURN(Query u, db.Prepare("UPDATE changes SET actor = ?, seq = ?, hlc = ?, "
                                              "branch = ?, deps = ? WHERE hash = ?"));
    auto st = u.Bind(e.change.actor.bytes(), e.change.seq, e.change.hlc.packed(), e.change.branch,
                     DepsBlob(e.change.deps), e.hash.bytes())
                  .Run();
    if (!st) {
      return Fail(ErrorCode::kCorruption,
                  "stored change {} has damaged columns that cannot be "
                  "rewritten: {}",
                  e.hash.Short(), st.error().message());
    }
  }
  *repaired += static_cast<std::int64_t>(damaged.size());
  return {};
}

Status AddPending(Db& db, const EncodedChange& c, const std::vector<ChangeHash>& missing) {
  {
    WEFT_ASSIGN_OR_RETURN(Query q,
                          db.Prepare("INSERT OR IGNORE INTO pending(hash, bytes) VALUES(?, ?)"));
    WEFT_TRY(q.Bind(c.hash.bytes(), c.bytes).Run());
  }
  for (const ChangeHash& dep : missing) {
    WEFT_ASSIGN_OR_RETURN(
        Query q, db.Prepare("INSERT OR IGNORE INTO pending_deps(dep, waiting) VALUES(?, ?)"));
    WEFT_TRY(q.Bind(dep.bytes(), c.hash.bytes()).Run());
  }
  return {};
}

Result<std::vector<EncodedChange>> TakeUnblockedPending(Db& db, const ChangeHash& arrived) {
  std::vector<ChangeHash> waiting;
  {
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT waiting FROM pending_deps WHERE dep = ?"));
    q.Bind(arrived.bytes());
    WEFT_ASSIGN_OR_RETURN(waiting, CollectHashes<ChangeHash>(q));
  }
  {
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("DELETE FROM pending_deps WHERE dep = ?"));
    WEFT_TRY(q.Bind(arrived.bytes()).Run());
  }
  std::vector<EncodedChange> ready;
  for (const ChangeHash& w : waiting) {
    WEFT_ASSIGN_OR_RETURN(Query still,
                          db.Prepare("SELECT 1 FROM pending_deps WHERE waiting = ? LIMIT 1"));
    still.Bind(w.bytes());
    WEFT_ASSIGN_OR_RETURN(bool blocked, still.Step());
    if (blocked) continue;
    WEFT_ASSIGN_OR_RETURN(Query load, db.Prepare("SELECT bytes FROM pending WHERE hash = ?"));
    load.Bind(w.bytes());
    WEFT_ASSIGN_OR_RETURN(bool row, load.Step());
    if (!row) continue;
    ByteView b = load.Blob(0);
    auto decoded = EncodedChange::FromBytes(Bytes(b.begin(), b.end()));
    if (!decoded || decoded->hash != w) {
      return Fail(ErrorCode::kCorruption, "pending change {} is damaged", w.Short());
    }
    ready.push_back(std::move(*decoded));
    WEFT_ASSIGN_OR_RETURN(Query del, db.Prepare("DELETE FROM pending WHERE hash = ?"));
    WEFT_TRY(del.Bind(w.bytes()).Run());
  }
  return ready;
}

Result<std::int64_t> CountPending(Db& db) { return db.QueryInt("SELECT COUNT(*) FROM pending"); }

Result<std::optional<Bytes>> LoadPendingBytes(Db& db, const ChangeHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT bytes FROM pending WHERE hash = ?"));
  q.Bind(hash.bytes());
  return FirstBlob(q);
}

Result<std::optional<Bytes>> LoadChangeBytes(Db& db, const ChangeHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT bytes FROM changes WHERE hash = ?"));
  q.Bind(hash.bytes());
  return FirstBlob(q);
}

Result<std::vector<ChangeHash>> LoadDeps(Db& db, const ChangeHash& hash) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT deps FROM changes WHERE hash = ?"));
  q.Bind(hash.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  std::vector<ChangeHash> out;
  if (!row) return out;
  ByteView b = q.Blob(0);
  if (b.size() % kHashSize != 0)
    return Fail(ErrorCode::kCorruption, "stored deps of {} are damaged", hash.Short());
  for (std::size_t i = 0; i < b.size(); i += kHashSize)
    out.push_back(ChangeHash::FromBytes(b.subspan(i, kHashSize)));
  return out;
}

Result<std::vector<std::pair<ActorId, std::uint64_t>>> MaxSeqPerActor(Db& db) {
  // Two index seeks per actor on UNIQUE(actor, seq): the cost follows the number
  // of actors, not the size of the log (a GROUP BY would read every row).
  std::vector<std::pair<ActorId, std::uint64_t>> out;
  Bytes actor;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(
        Query next, db.Prepare("SELECT actor FROM changes WHERE actor > ? ORDER BY actor LIMIT 1"));
    next.Bind(actor);
    WEFT_ASSIGN_OR_RETURN(bool row, next.Step());
    if (!row) return out;
    ByteView a = next.Blob(0);
    actor.assign(a.begin(), a.end());
    WEFT_ASSIGN_OR_RETURN(ActorId id, ActorId::FromBytes(actor));
    WEFT_ASSIGN_OR_RETURN(Query max, db.Prepare("SELECT MAX(seq) FROM changes WHERE actor = ?"));
    max.Bind(actor);
    WEFT_ASSIGN_OR_RETURN(bool found, max.Step());
    if (!found) return Fail(ErrorCode::kCorruption, "actor {} vanished mid-read", id.Hex());
    out.emplace_back(id, static_cast<std::uint64_t>(max.Int(0)));
  }
}

Result<std::vector<std::pair<ActorId, Hlc>>> LatestStampPerActor(Db& db, Hlc above) {
  // `+actor`: grouping by the (actor, seq) index would read every row; the range
  // of the stamp index (changes_by_hlc) reads only those past `above`.
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT actor, MAX(hlc) FROM changes WHERE hlc > ? "
                                            "GROUP BY +actor ORDER BY +actor"));
  q.Bind(static_cast<std::int64_t>(above.packed()));
  std::vector<std::pair<ActorId, Hlc>> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    WEFT_ASSIGN_OR_RETURN(ActorId actor, ActorId::FromBytes(q.Blob(0)));
    out.emplace_back(actor, Hlc(static_cast<std::uint64_t>(q.Int(1))));
  }
}

}  // namespace weft
