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

// The epoch devices see: the tenant's, and the identity of the database it is in
// (its oid, new whenever the database is made again, as a restore from a dump
// does). A restore is then a new epoch even when the restored log happens to hold
// the device's position and witness again (a re-pushed change landing on the
// same number: the fault model met that).
constexpr char kEpochSql[] =
    "epoch || '.' || (SELECT oid::text FROM pg_database WHERE datname = current_database())";

// The caller's token checked (`token`, a TokenStatement's result) with the
// tenant's row read through the gate (`tenant`). A token revoked between the two
// statements reads no tenant row and is refused too.
bool Admitted(Admission& out, const PgResult& token, const PgResult& tenant, const Caller& who) {
  auto admitted = Admit(token, who);
  if (const Denial* d = std::get_if<Denial>(&admitted)) {
    out.denied = *d;
    return false;
  }
  if (tenant.rows() == 0) {
    out.denied = Denial::kUnknown;
    return false;
  }
  out.token = std::move(std::get<TokenInfo>(admitted));
  return true;
}

std::vector<PgParam> GateParams(const Caller& who) {
  std::vector<PgParam> p;
  AddGateParams(p, who);
  return p;
}

}  // namespace

// Two round trips: BEGIN, the tenant's lock and what the tenant holds of the
// push's hashes and actors (a statement of its own after the lock, so it sees
// every push committed before ours) in one pipeline; then every write in one
// statement, COMMIT and the NOTIFY after it in another. The caller was checked
// before its body was read (CheckCaller); the gate refuses one revoked since.
Result<PushOutcome> Push(PgConn& c, const Caller& who, sync::Message m, const PushLimits& limits) {
  WEFT_ASSIGN_OR_RETURN(Decoded decoded, DecodePush(std::move(m)));
  const PushQuestions q = Questions(decoded);
  PushOutcome out;
  std::vector<ByteView> hashes, actors;
  for (const auto& h : q.hashes) hashes.push_back(View(h));
  for (const auto& a : q.actors) actors.push_back(a.bytes());
  const std::string gate = GatedTenantSql(1, who.need);
  std::vector<PgParam> held_params = GateParams(who);
  held_params.push_back(PgByteaArray(hashes));
  held_params.push_back(PgByteaArray(actors));
  auto rollback = [&](Error e) -> Result<PushOutcome> {
    (void)c.Run("ROLLBACK");
    return Fail(std::move(e));
  };
  auto first = c.Pipeline(
      {{"BEGIN", {}},
       {fmt::format("SELECT id, {}, next_seq, bytes_used, quota_bytes FROM tenants WHERE id = {} "
                    "FOR UPDATE",
                    kEpochSql, gate),
        GateParams(who)},
       {fmt::format("WITH me AS (SELECT {} AS id) "
                    "SELECT 0::bigint, hash, 0::bigint FROM changes, me "
                    "WHERE tenant_id = me.id AND hash = ANY($4) "
                    "UNION ALL SELECT 1, actor, seq FROM clocks, me "
                    "WHERE tenant_id = me.id AND actor = ANY($5)",
                    gate),
        std::move(held_params), true}});
  if (!first) return rollback(first.error());
  const PgResult& t = (*first)[1];
  if (t.rows() == 0) {  // the gate: not a live token of the tenant with the scope
    out.denied = Denial::kUnknown;
    WEFT_TRY(c.Run("ROLLBACK"));
    return out;
  }
  const std::int64_t tenant_id = t.Int8(0, 0);
  out.epoch = t.Text(0, 1);
  std::int64_t next = t.Int8(0, 2);
  const std::int64_t used = t.Int8(0, 3), quota = t.Int8(0, 4);
  out.latest = next - 1;
  TenantView view;
  const PgResult& held = (*first)[2];
  for (int i = 0; i < held.rows(); ++i) {
    if (held.Int8(i, 0) == 0) {
      view.present.insert(ChangeHash::FromBytes(held.View(i, 1)));
      continue;
    }
    auto a = ActorId::FromBytes(held.View(i, 1));
    if (!a) return rollback(a.error());
    view.clock[*a] = static_cast<std::uint64_t>(held.Int8(i, 2));
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
  // NOTIFY after the commit, in the same round trip: the push never waits on
  // NOTIFY's queue lock, and a lost notification costs a waiter the 1 s poll.
  auto wrote = c.PipelineUpTo(
      {{"WITH ins AS (INSERT INTO changes(tenant_id, seq, hash, actor, actor_seq, deps, bytes, "
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
         PgByteaArray(clock_actors), PgInt8Array(clock_seqs), PgByteaArray(gone),
         PgByteaArray(heads), PgInt8(next), PgInt8(static_cast<std::int64_t>(bytes))}},
       {"COMMIT", {}},
       {"SELECT pg_notify('weft_hub', $1)", {PgText(fmt::format("{}:{}", tenant_id, next - 1))}}});
  // Committed once COMMIT answered; a NOTIFY that failed after it costs a waiter
  // the 1 s poll, not the push.
  if (wrote.results.size() < 2) return rollback(*wrote.error);
  out.accepted = v.accepted.size();
  out.latest = next - 1;
  out.last = v.accepted.back().hash;
  out.bytes = bytes;
  return out;
}

// Two round trips: the caller's token, with the tenant's position and the
// changes at the client's read position and witness; then the page.
Result<Page> Pull(PgConn& c, const Caller& who, const PullRequest& req) {
  Page page;
  std::vector<PgParam> params = GateParams(who);
  params.push_back(PgInt8(req.after));
  params.push_back(PgInt8(req.seen));
  WEFT_ASSIGN_OR_RETURN(
      auto first,
      c.Pipeline({TokenStatement(who),
                  {fmt::format("SELECT n.id, {}, n.next_seq - 1, "
                               "(SELECT hash FROM changes WHERE tenant_id = n.id AND seq = $4), "
                               "(SELECT hash FROM changes WHERE tenant_id = n.id AND seq = $5) "
                               "FROM tenants n WHERE n.id = {}",
                               kEpochSql, GatedTenantSql(1, who.need)),
                   std::move(params)}}));
  const PgResult& t = first[1];
  if (!Admitted(page, first[0], t, who)) return page;
  const std::int64_t tenant_id = t.Int8(0, 0);
  page.epoch = t.Text(0, 1);
  page.latest = t.Int8(0, 2);
  page.through = req.after;
  if (!req.epoch.empty() && req.epoch != page.epoch) {
    page.history_changed = true;
    return page;
  }
  if (req.peek) return page;
  // The changes at the read position and at the witness are the ones the client
  // saw there.
  auto holds = [&](int col, const std::optional<ChangeHash>& want) {
    return want && !t.IsNull(0, col) && ChangeHash::FromBytes(t.View(0, col)) == *want;
  };
  if ((req.after > 0 && !holds(3, req.at)) ||
      (req.seen > 0 && req.seen_at && req.seen != req.after && !holds(4, req.seen_at))) {
    page.history_changed = true;
    return page;
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

// One round trip: the token, the position, the clock and the heads.
Result<TenantClock> ReadClock(PgConn& c, const Caller& who) {
  TenantClock out;
  const std::string gate = GatedTenantSql(1, who.need);
  WEFT_ASSIGN_OR_RETURN(
      auto r,
      c.Pipeline(
          {TokenStatement(who),
           {fmt::format("SELECT {}, next_seq - 1 FROM tenants WHERE id = {}", kEpochSql, gate),
            GateParams(who)},
           {fmt::format("SELECT actor, seq FROM clocks WHERE tenant_id = {} ORDER BY actor", gate),
            GateParams(who)},
           {fmt::format("SELECT hash FROM heads WHERE tenant_id = {} ORDER BY hash", gate),
            GateParams(who)}}));
  if (!Admitted(out, r[0], r[1], who)) return out;
  out.epoch = r[1].Text(0, 0);
  out.latest = r[1].Int8(0, 1);
  for (int i = 0; i < r[2].rows(); ++i) {
    WEFT_ASSIGN_OR_RETURN(ActorId a, ActorId::FromBytes(r[2].View(i, 0)));
    out.clock.emplace_back(a, static_cast<std::uint64_t>(r[2].Int8(i, 1)));
  }
  for (int i = 0; i < r[3].rows(); ++i) out.heads.push_back(ChangeHash::FromBytes(r[3].View(i, 0)));
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
