#include "store/schema.h"

#include "store/peers.h"
#include "store/reviews.h"

namespace weft {
namespace {

constexpr const char* kCanonical = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes(
  hash   BLOB PRIMARY KEY,
  actor  BLOB NOT NULL,
  seq    INTEGER NOT NULL,
  hlc    INTEGER NOT NULL,
  branch TEXT NOT NULL,
  deps   BLOB NOT NULL,
  bytes  BLOB NOT NULL,
  UNIQUE(actor, seq)
);
CREATE TABLE IF NOT EXISTS blobs(
  hash      BLOB PRIMARY KEY,
  kind      INTEGER NOT NULL,
  canonical BLOB NOT NULL,
  display   BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS wip(
  id     INTEGER PRIMARY KEY,
  branch TEXT NOT NULL,
  op     BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS pending(
  hash  BLOB PRIMARY KEY,
  bytes BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending_deps(
  dep     BLOB NOT NULL,
  waiting BLOB NOT NULL,
  PRIMARY KEY(dep, waiting)
) WITHOUT ROWID;
)sql";

constexpr const char* kProjections = R"sql(
CREATE TABLE IF NOT EXISTS clocks(
  change BLOB PRIMARY KEY,
  clock  BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS heads(
  change BLOB PRIMARY KEY
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS branches(
  name   TEXT NOT NULL,
  parent TEXT NOT NULL,
  fork   BLOB NOT NULL,
  PRIMARY KEY(name, fork)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS branch_heads(
  branch TEXT NOT NULL,
  change BLOB NOT NULL,
  PRIMARY KEY(branch, change)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS frontier(
  branch   TEXT NOT NULL,
  slot     INTEGER NOT NULL,
  location TEXT NOT NULL,
  change   BLOB NOT NULL,
  op_index INTEGER NOT NULL,
  actor    BLOB NOT NULL,
  seq      INTEGER NOT NULL,
  hlc      INTEGER NOT NULL,
  outcome  BLOB NOT NULL,
  PRIMARY KEY(branch, slot, location, change, op_index)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS slot_edits(
  branch   TEXT NOT NULL,
  slot     INTEGER NOT NULL,
  location TEXT NOT NULL,
  change   BLOB NOT NULL,
  op_index INTEGER NOT NULL,
  actor    BLOB NOT NULL,
  seq      INTEGER NOT NULL,
  hlc      INTEGER NOT NULL,
  outcome  BLOB NOT NULL,
  PRIMARY KEY(branch, slot, location, change, op_index)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conflicts(
  id           BLOB PRIMARY KEY,
  branch       TEXT NOT NULL,
  slot         INTEGER NOT NULL,
  location     TEXT NOT NULL,
  candidates   BLOB NOT NULL,
  winner       BLOB NOT NULL,
  resolution   TEXT NOT NULL,
  state        TEXT NOT NULL,
  resolver     BLOB,
  resolver_hlc INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS conflicts_by_slot ON conflicts(branch, slot, location);
CREATE TABLE IF NOT EXISTS archived_branches(
  name   TEXT NOT NULL,
  change BLOB NOT NULL,
  PRIMARY KEY(name, change)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS locations(
  branch    TEXT NOT NULL,
  ns        INTEGER NOT NULL,
  location  TEXT NOT NULL,
  item      BLOB NOT NULL,
  change    BLOB NOT NULL,
  hlc       INTEGER NOT NULL,
  divergent INTEGER NOT NULL,
  PRIMARY KEY(branch, ns, location)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deprecations(
  branch      TEXT NOT NULL,
  location    TEXT NOT NULL,
  reason      TEXT NOT NULL,
  replacement TEXT,
  change      BLOB NOT NULL,
  hlc         INTEGER NOT NULL,
  divergent   INTEGER NOT NULL,
  PRIMARY KEY(branch, location)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS items(
  hash     BLOB PRIMARY KEY,
  kind     INTEGER NOT NULL,
  added_by BLOB NOT NULL,
  hlc      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dependencies(
  item       BLOB NOT NULL,
  depends_on BLOB NOT NULL,
  PRIMARY KEY(item, depends_on)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dependencies_by_target ON dependencies(depends_on, item);
)sql";

constexpr ProjectionTable kTables[] = {
    {"clocks", "change"},
    {"heads", "change"},
    {"branches", "name, fork"},
    {"branch_heads", "branch, change"},
    {"frontier", "branch, slot, location, change, op_index"},
    {"slot_edits", "branch, slot, location, change, op_index"},
    {"conflicts", "id"},
    {"archived_branches", "name, change"},
    {"locations", "branch, ns, location"},
    {"deprecations", "branch, location"},
    {"items", "hash"},
    {"dependencies", "item, depends_on"},
};

}  // namespace

Status CreateCanonicalTables(Db& db) {
  WEFT_TRY(db.Exec(kCanonical));
  WEFT_TRY(CreateReviewsTable(db));
  return CreatePeersTable(db);
}
Status CreateProjectionTables(Db& db) { return db.Exec(kProjections); }

Status DropProjectionTables(Db& db) {
  for (const auto& t : kTables) {
    WEFT_TRY(db.Exec(fmt::format("DROP TABLE IF EXISTS {}", t.name)));
  }
  return {};
}

Status ClearProjectionTables(Db& db) {
  for (const auto& t : kTables) {
    WEFT_TRY(db.Exec(fmt::format("DELETE FROM {}", t.name)));
  }
  return {};
}

const ProjectionTable* ProjectionTables(std::size_t* count) {
  *count = std::size(kTables);
  return kTables;
}

}  // namespace weft
