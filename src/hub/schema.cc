#include "hub/schema.h"

namespace weft::hub {
namespace {

// Schema 1. Arrival numbers (`seq`) are handed out under the tenant row's lock
// inside the push transaction, so they have no gaps and commit in order.
constexpr char kSchema1[] = R"sql(
CREATE TABLE hub_meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE tenants(
  id          bigserial PRIMARY KEY,
  name        text NOT NULL UNIQUE,
  epoch       text NOT NULL,
  next_seq    bigint NOT NULL DEFAULT 1,
  bytes_used  bigint NOT NULL DEFAULT 0,
  quota_bytes bigint NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now());
CREATE TABLE tokens(
  id          bigserial PRIMARY KEY,
  tenant_id   bigint NOT NULL REFERENCES tenants(id),
  device      text NOT NULL,
  scope       text NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
  secret_hash bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz);
CREATE TABLE changes(
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  seq       bigint NOT NULL,
  hash      bytea NOT NULL,
  actor     bytea NOT NULL,
  actor_seq bigint NOT NULL,
  deps      bytea NOT NULL,
  bytes     bytea NOT NULL,
  blobs     bytea NOT NULL,
  PRIMARY KEY(tenant_id, seq),
  UNIQUE(tenant_id, hash));
CREATE TABLE clocks(
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  actor     bytea NOT NULL,
  seq       bigint NOT NULL,
  PRIMARY KEY(tenant_id, actor));
CREATE TABLE heads(
  tenant_id bigint NOT NULL REFERENCES tenants(id),
  hash      bytea NOT NULL,
  PRIMARY KEY(tenant_id, hash));
INSERT INTO hub_meta VALUES ('schema', '1');
)sql";

Result<std::int64_t> SchemaOf(PgConn& c) {
  WEFT_ASSIGN_OR_RETURN(PgResult t, c.Exec("SELECT to_regclass('hub_meta') IS NOT NULL"));
  if (!t.Bool(0, 0)) return 0;
  WEFT_ASSIGN_OR_RETURN(PgResult r, c.Exec("SELECT value FROM hub_meta WHERE key = 'schema'"));
  if (r.rows() == 0) return 0;
  try {
    return std::stoll(r.Text(0, 0));
  } catch (...) {
    return Fail(ErrorCode::kCorruption, "the hub database's schema number is not a number");
  }
}

}  // namespace

Result<MigrateReport> Migrate(PgConn& c) {
  return InPgTransaction(c, [&]() -> Result<MigrateReport> {
    // One migration at a time, whichever process runs it.
    WEFT_TRY(c.Run("SELECT pg_advisory_xact_lock(7420001)"));
    WEFT_ASSIGN_OR_RETURN(std::int64_t from, SchemaOf(c));
    if (from > kHubSchema) {
      return Fail(ErrorCode::kVersionMismatch,
                  "this hub database is at schema {}, this weft knows schema {} — upgrade weft",
                  from, kHubSchema);
    }
    if (from == 0) WEFT_TRY(c.Run(kSchema1));
    return MigrateReport{from, kHubSchema};
  });
}

Status CheckSchema(PgConn& c) {
  WEFT_ASSIGN_OR_RETURN(std::int64_t at, SchemaOf(c));
  if (at == kHubSchema) return {};
  if (at == 0) {
    return Fail(ErrorCode::kFailedPrecondition,
                "this database holds no hub yet — run `weft hub migrate --db URL` first");
  }
  if (at > kHubSchema) {
    return Fail(ErrorCode::kVersionMismatch,
                "this hub database is at schema {}, this weft knows schema {} — upgrade weft", at,
                kHubSchema);
  }
  return Fail(ErrorCode::kFailedPrecondition,
              "this hub database is at schema {}, this weft needs {} — run `weft hub migrate`", at,
              kHubSchema);
}

}  // namespace weft::hub
