#include "hub/hub_log.h"

#include <fmt/format.h>

#include <set>

namespace weft::hub {
namespace {

ByteView View(const ChangeHash& h) { return h.bytes(); }

Bytes JoinDeps(const std::vector<ChangeHash>& deps) {
  Bytes out;
  for (const auto& d : deps) out.insert(out.end(), d.bytes().begin(), d.bytes().end());
  return out;
}

struct Position {
  std::string epoch;
  std::int64_t latest = 0;
};

// The epoch devices see: the tenant's, and the identity of the database it is in
// (its oid, new whenever the database is made again, as a restore from a dump
// does). A restore is then a new epoch even when the restored log happens to hold
// the device's position and witness again (a re-pushed change landing on the
// same number: the fault model met that).
constexpr char kEpochSql[] =
    "epoch || '.' || (SELECT oid::text FROM pg_database WHERE datname = current_database())";

// The tenant's epoch and last arrival number.
Result<Position> TenantPosition(PgConn& c, std::int64_t tenant_id) {
  WEFT_ASSIGN_OR_RETURN(
      PgResult t,
      c.Exec(fmt::format("SELECT {}, next_seq - 1 FROM tenants WHERE id = $1", kEpochSql),
             {PgInt8(tenant_id)}));
  if (t.rows() == 0) return Fail(ErrorCode::kNotFound, "the tenant is gone");
  return Position{t.Text(0, 0), t.Int8(0, 1)};
}

}  // namespace

// Four round trips: BEGIN with the tenant's lock; what the tenant holds of the
// push's hashes and actors (a statement of its own, after the lock, so it sees
// every push committed before ours); every write in one statement; COMMIT with the
// NOTIFY after it.
Result<PushOutcome> Push(PgConn& c, std::int64_t tenant_id, const sync::Message& m,
                         const PushLimits& limits) {
  WEFT_ASSIGN_OR_RETURN(Decoded decoded, DecodePush(m));
  const PushQuestions q = Questions(decoded);
  PushOutcome out;
  // The id is ours (a bigint), so it may go into the text of the statement.
  WEFT_ASSIGN_OR_RETURN(
      PgResult t, c.ExecSimple(fmt::format("BEGIN; SELECT {}, next_seq, bytes_used, quota_bytes "
                                           "FROM tenants WHERE id = {} FOR UPDATE",
                                           kEpochSql, tenant_id)));
  auto rollback = [&](Error e) -> Result<PushOutcome> {
    (void)c.Run("ROLLBACK");
    return Fail(std::move(e));
  };
  if (t.rows() == 0) return rollback(Error(ErrorCode::kNotFound, "the tenant is gone"));
  out.epoch = t.Text(0, 0);
  std::int64_t next = std::stoll(t.Text(0, 1));
  const std::int64_t used = std::stoll(t.Text(0, 2)), quota = std::stoll(t.Text(0, 3));
  out.latest = next - 1;
  TenantView view;
  {
    std::vector<ByteView> hashes, actors;
    for (const auto& h : q.hashes) hashes.push_back(View(h));
    for (const auto& a : q.actors) actors.push_back(a.bytes());
    auto held = c.Exec(
        "SELECT 0::bigint, hash, 0::bigint FROM changes WHERE tenant_id = $1 AND hash = ANY($2) "
        "UNION ALL SELECT 1, actor, seq FROM clocks WHERE tenant_id = $1 AND actor = ANY($3)",
        {PgInt8(tenant_id), PgByteaArray(hashes), PgByteaArray(actors)});
    if (!held) return rollback(held.error());
    for (int i = 0; i < held->rows(); ++i) {
      if (held->Int8(i, 0) == 0) {
        view.present.insert(ChangeHash::FromBytes(held->View(i, 1)));
        continue;
      }
      auto a = ActorId::FromBytes(held->View(i, 1));
      if (!a) return rollback(a.error());
      view.clock[*a] = static_cast<std::uint64_t>(held->Int8(i, 2));
    }
  }
  PushVerdict v = CheckPush(std::move(decoded), view, limits.max_change_bytes);
  out.duplicates = v.duplicates;
  std::uint64_t bytes = 0;
  for (const auto& a : v.accepted) bytes += a.bytes.size() + a.blobs.size();
  if (v.refusal) {
    out.refusal = PushRefusalName(*v.refusal);
    out.sentence = v.sentence;
    out.missing = v.missing;
  } else if (!v.accepted.empty() && used + static_cast<std::int64_t>(bytes) > quota) {
    out.refusal = "over_quota";
    out.sentence = fmt::format(
        "this push of {} bytes would take the tenant past its quota ({} of {} bytes used)", bytes,
        used, quota);
  }
  if (!out.refusal.empty() || v.accepted.empty()) {
    WEFT_TRY(c.Run("ROLLBACK"));  // nothing was written
    return out;
  }
  std::vector<std::int64_t> seqs, actor_seqs;
  std::vector<ByteView> hs, as, deps, bodies, blobs;
  std::vector<Bytes> dep_bytes;
  dep_bytes.reserve(v.accepted.size());
  std::map<ActorId, std::uint64_t> clock;
  std::set<ChangeHash> covered;  // deps of what arrived: no longer heads
  for (const auto& a : v.accepted) {
    seqs.push_back(next++);
    hs.push_back(View(a.hash));
    as.push_back(a.actor.bytes());
    actor_seqs.push_back(static_cast<std::int64_t>(a.actor_seq));
    dep_bytes.push_back(JoinDeps(a.deps));
    deps.push_back(dep_bytes.back());
    bodies.push_back(a.bytes);
    blobs.push_back(a.blobs);
    clock[a.actor] = std::max(clock[a.actor], a.actor_seq);
    covered.insert(a.deps.begin(), a.deps.end());
  }
  std::vector<ByteView> clock_actors, gone, heads;
  std::vector<std::int64_t> clock_seqs;
  for (const auto& [actor, seq] : clock) {
    clock_actors.push_back(actor.bytes());
    clock_seqs.push_back(static_cast<std::int64_t>(seq));
  }
  for (const auto& h : covered) gone.push_back(View(h));
  for (const auto& a : v.accepted) {
    if (!covered.contains(a.hash)) heads.push_back(View(a.hash));
  }
  auto wrote = c.Exec(
      "WITH ins AS (INSERT INTO changes(tenant_id, seq, hash, actor, actor_seq, deps, bytes, "
      "blobs) "
      "  SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::bigint[], "
      "  $6::bytea[], $7::bytea[], $8::bytea[])), "
      "clk AS (INSERT INTO clocks(tenant_id, actor, seq) "
      "  SELECT $1, * FROM unnest($9::bytea[], $10::bigint[]) "
      "  ON CONFLICT (tenant_id, actor) DO UPDATE SET seq = EXCLUDED.seq), "
      "gone AS (DELETE FROM heads WHERE tenant_id = $1 AND hash = ANY($11)), "
      "hd AS (INSERT INTO heads(tenant_id, hash) SELECT $1, unnest($12::bytea[])) "
      "UPDATE tenants SET next_seq = $13, bytes_used = bytes_used + $14 WHERE id = $1",
      {PgInt8(tenant_id), PgInt8Array(seqs), PgByteaArray(hs), PgByteaArray(as),
       PgInt8Array(actor_seqs), PgByteaArray(deps), PgByteaArray(bodies), PgByteaArray(blobs),
       PgByteaArray(clock_actors), PgInt8Array(clock_seqs), PgByteaArray(gone), PgByteaArray(heads),
       PgInt8(next), PgInt8(static_cast<std::int64_t>(bytes))});
  if (!wrote) return rollback(wrote.error());
  out.accepted = v.accepted.size();
  out.latest = next - 1;
  out.last = v.accepted.back().hash;
  out.bytes = bytes;
  // NOTIFY after the commit, in the same round trip: the push never waits on
  // NOTIFY's queue lock, and a lost notification costs a waiter the 1 s poll.
  WEFT_TRY(
      c.Run(fmt::format("COMMIT; SELECT pg_notify('weft_hub', '{}:{}')", tenant_id, out.latest)));
  return out;
}

Result<Page> Pull(PgConn& c, std::int64_t tenant_id, const PullRequest& req) {
  Page page;
  WEFT_ASSIGN_OR_RETURN(Position now, TenantPosition(c, tenant_id));
  page.epoch = std::move(now.epoch);
  page.latest = now.latest;
  page.through = req.after;
  if (!req.epoch.empty() && req.epoch != page.epoch) {
    page.history_changed = true;
    return page;
  }
  if (req.peek) return page;
  // The change at the read position and at the witness are the ones the client
  // saw there: one query for both.
  std::vector<std::int64_t> seqs;
  std::map<std::int64_t, ChangeHash> want;
  if (req.after > 0) {
    if (!req.at) {
      page.history_changed = true;
      return page;
    }
    seqs.push_back(req.after);
    want[req.after] = *req.at;
  }
  if (req.seen > 0 && req.seen_at && req.seen != req.after) {
    seqs.push_back(req.seen);
    want[req.seen] = *req.seen_at;
  }
  if (!seqs.empty()) {
    WEFT_ASSIGN_OR_RETURN(
        PgResult at, c.Exec("SELECT seq, hash FROM changes WHERE tenant_id = $1 AND seq = ANY($2)",
                            {PgInt8(tenant_id), PgInt8Array(seqs)}));
    std::size_t matched = 0;
    for (int i = 0; i < at.rows(); ++i) {
      auto it = want.find(at.Int8(i, 0));
      if (it != want.end() && ChangeHash::FromBytes(at.View(i, 1)) == it->second) ++matched;
    }
    if (matched != want.size()) {
      page.history_changed = true;
      return page;
    }
  }
  if (req.after >= page.latest) return page;
  WEFT_ASSIGN_OR_RETURN(
      PgResult r, c.Exec("SELECT seq, bytes, blobs FROM changes WHERE tenant_id = $1 AND seq > $2 "
                         "ORDER BY seq LIMIT $3",
                         {PgInt8(tenant_id), PgInt8(req.after),
                          PgInt8(static_cast<std::int64_t>(req.max_changes))}));
  std::size_t size = 0;
  for (int i = 0; i < r.rows(); ++i) {
    const ByteView body = r.View(i, 1), blobs = r.View(i, 2);
    if (i > 0 && size + body.size() + blobs.size() > req.max_bytes) break;
    size += body.size() + blobs.size();
    WEFT_ASSIGN_OR_RETURN(auto records, DecodeBlobs(blobs));
    for (auto& b : records) page.blobs.push_back(std::move(b));
    page.changes.emplace_back(body.begin(), body.end());
    page.through = r.Int8(i, 0);
  }
  page.more = page.through < page.latest;
  return page;
}

Result<TenantClock> ReadClock(PgConn& c, std::int64_t tenant_id) {
  TenantClock out;
  WEFT_ASSIGN_OR_RETURN(Position at, TenantPosition(c, tenant_id));
  out.epoch = std::move(at.epoch);
  out.latest = at.latest;
  WEFT_ASSIGN_OR_RETURN(PgResult r, c.Exec("SELECT actor, seq FROM clocks WHERE tenant_id = $1 "
                                           "ORDER BY actor",
                                           {PgInt8(tenant_id)}));
  for (int i = 0; i < r.rows(); ++i) {
    WEFT_ASSIGN_OR_RETURN(ActorId a, ActorId::FromBytes(r.View(i, 0)));
    out.clock.emplace_back(a, static_cast<std::uint64_t>(r.Int8(i, 1)));
  }
  WEFT_ASSIGN_OR_RETURN(PgResult h, c.Exec("SELECT hash FROM heads WHERE tenant_id = $1 "
                                           "ORDER BY hash",
                                           {PgInt8(tenant_id)}));
  for (int i = 0; i < h.rows(); ++i) out.heads.push_back(ChangeHash::FromBytes(h.View(i, 0)));
  return out;
}

Result<std::vector<std::pair<std::int64_t, std::int64_t>>> Latest(
    PgConn& c, const std::vector<std::int64_t>& tenant_ids) {
  WEFT_ASSIGN_OR_RETURN(
      PgResult r,
      c.Exec("SELECT id, next_seq - 1 FROM tenants WHERE id = ANY($1)", {PgInt8Array(tenant_ids)}));
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.Int8(i, 0), r.Int8(i, 1));
  return out;
}

}  // namespace weft::hub
