#include "store/schema.h"

#include <set>

namespace weft {
namespace {

// One table per entry, with the indexes that belong to it. Tables added within
// Release 1 are created on the first write-open of an older store (they start
// empty, which is what an older store holds of them).
constexpr SchemaTable kCanonical[] = {
    {"meta",
     "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
     nullptr},
    // `id` is the log order (append order, a causal order): the fold replays it.
    {"changes", R"sql(CREATE TABLE IF NOT EXISTS changes(
  id     INTEGER PRIMARY KEY,
  hash   BLOB NOT NULL UNIQUE,
  actor  BLOB NOT NULL,
  seq    INTEGER NOT NULL,
  hlc    INTEGER NOT NULL,
  branch TEXT NOT NULL,
  deps   BLOB NOT NULL,
  bytes  BLOB NOT NULL,
  UNIQUE(actor, seq)
))sql",
     // The newest changes first (`log`, the dashboard) without sorting the log.
     "CREATE INDEX IF NOT EXISTS changes_by_hlc ON changes(hlc, hash)"},
    {"blobs", R"sql(CREATE TABLE IF NOT EXISTS blobs(
  hash      BLOB PRIMARY KEY,
  kind      INTEGER NOT NULL,
  canonical BLOB NOT NULL,
  display   BLOB NOT NULL
) WITHOUT ROWID)sql",
     nullptr},
    {"wip",
     "CREATE TABLE IF NOT EXISTS wip(id INTEGER PRIMARY KEY, branch TEXT NOT NULL, op BLOB NOT "
     "NULL)",
     nullptr},
    {"pending",
     "CREATE TABLE IF NOT EXISTS pending(hash BLOB PRIMARY KEY, bytes BLOB NOT NULL) WITHOUT ROWID",
     nullptr},
    {"pending_deps", R"sql(CREATE TABLE IF NOT EXISTS pending_deps(
  dep     BLOB NOT NULL,
  waiting BLOB NOT NULL,
  PRIMARY KEY(dep, waiting)
) WITHOUT ROWID)sql",
     nullptr},
    {"peers", R"sql(CREATE TABLE IF NOT EXISTS peers(
  name       TEXT PRIMARY KEY,
  address    TEXT NOT NULL,
  sync_state BLOB NOT NULL
) WITHOUT ROWID)sql",
     nullptr},
    // A peer that is a hub: its tenant, token file and read position
    // (store/hub_peers.h).
    {"hub_peers", R"sql(CREATE TABLE IF NOT EXISTS hub_peers(
  name        TEXT PRIMARY KEY,
  tenant      TEXT NOT NULL,
  token_file  TEXT NOT NULL,
  epoch       TEXT NOT NULL DEFAULT '',
  cursor      INTEGER NOT NULL DEFAULT 0,
  cursor_hash BLOB,
  seen        INTEGER NOT NULL DEFAULT 0,
  seen_hash   BLOB,
  clock       BLOB NOT NULL DEFAULT x''
) WITHOUT ROWID)sql",
     nullptr},
    {"peer_devices",
     "CREATE TABLE IF NOT EXISTS peer_devices(name TEXT PRIMARY KEY, device_id TEXT NOT NULL "
     "UNIQUE)",
     nullptr},
    {"actor_names",
     "CREATE TABLE IF NOT EXISTS actor_names(actor BLOB PRIMARY KEY, name TEXT NOT NULL) WITHOUT "
     "ROWID",
     nullptr},
    {"own_actors", "CREATE TABLE IF NOT EXISTS own_actors(actor BLOB PRIMARY KEY) WITHOUT ROWID",
     nullptr},
    {"sync_events", R"sql(CREATE TABLE IF NOT EXISTS sync_events(
  id            INTEGER PRIMARY KEY,
  at_ms         INTEGER NOT NULL,
  peer          TEXT NOT NULL,
  trigger       TEXT NOT NULL,
  direction     TEXT NOT NULL,
  pulled        INTEGER NOT NULL,
  pushed        INTEGER NOT NULL,
  names         TEXT NOT NULL,
  conflicts     INTEGER NOT NULL,
  their_release INTEGER,
  error         TEXT NOT NULL,
  duration_ms   INTEGER NOT NULL
))sql",
     "CREATE INDEX IF NOT EXISTS sync_events_by_peer ON sync_events(peer, id)"},
    // Rows `weft fsck --repair` found damaged, kept as they were (store/quarantine.h).
    {"quarantine", R"sql(CREATE TABLE IF NOT EXISTS quarantine(
  kind   TEXT NOT NULL,
  hash   BLOB NOT NULL,
  bytes  BLOB NOT NULL,
  extra  BLOB NOT NULL,
  reason TEXT NOT NULL,
  at_ms  INTEGER NOT NULL,
  PRIMARY KEY(kind, hash)
) WITHOUT ROWID)sql",
     nullptr},
    {"conflict_reviews",
     "CREATE TABLE IF NOT EXISTS conflict_reviews(id BLOB PRIMARY KEY) WITHOUT ROWID", nullptr},
};

constexpr SchemaTable kProjection[] = {
    {"clocks",
     "CREATE TABLE IF NOT EXISTS clocks(change BLOB PRIMARY KEY, clock BLOB NOT NULL) WITHOUT "
     "ROWID",
     nullptr},
    {"heads", "CREATE TABLE IF NOT EXISTS heads(change BLOB PRIMARY KEY) WITHOUT ROWID", nullptr},
    {"branches", R"sql(CREATE TABLE IF NOT EXISTS branches(
  name   TEXT NOT NULL,
  parent TEXT NOT NULL,
  fork   BLOB NOT NULL,
  PRIMARY KEY(name, fork)
) WITHOUT ROWID)sql",
     nullptr},
    {"branch_heads", R"sql(CREATE TABLE IF NOT EXISTS branch_heads(
  branch TEXT NOT NULL,
  change BLOB NOT NULL,
  PRIMARY KEY(branch, change)
) WITHOUT ROWID)sql",
     nullptr},
    {"frontier", R"sql(CREATE TABLE IF NOT EXISTS frontier(
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
) WITHOUT ROWID)sql",
     nullptr},
    {"slot_edits", R"sql(CREATE TABLE IF NOT EXISTS slot_edits(
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
) WITHOUT ROWID)sql",
     nullptr},
    {"edit_bases", R"sql(CREATE TABLE IF NOT EXISTS edit_bases(
  change   BLOB NOT NULL,
  slot     INTEGER NOT NULL,
  location TEXT NOT NULL,
  base     BLOB NOT NULL,
  PRIMARY KEY(change, slot, location)
) WITHOUT ROWID)sql",
     nullptr},
    {"conflicts", R"sql(CREATE TABLE IF NOT EXISTS conflicts(
  id           BLOB PRIMARY KEY,
  branch       TEXT NOT NULL,
  slot         INTEGER NOT NULL,
  location     TEXT NOT NULL,
  candidates   BLOB NOT NULL,
  winner        BLOB NOT NULL,
  resolution    INTEGER NOT NULL,
  merged_branch TEXT NOT NULL,
  state         INTEGER NOT NULL,
  resolver     BLOB,
  resolver_hlc INTEGER
) WITHOUT ROWID)sql",
     "CREATE INDEX IF NOT EXISTS conflicts_by_slot ON conflicts(branch, slot, location)"},
    {"archived_branches", R"sql(CREATE TABLE IF NOT EXISTS archived_branches(
  name   TEXT NOT NULL,
  change BLOB NOT NULL,
  PRIMARY KEY(name, change)
) WITHOUT ROWID)sql",
     nullptr},
    {"locations", R"sql(CREATE TABLE IF NOT EXISTS locations(
  branch    TEXT NOT NULL,
  ns        INTEGER NOT NULL,
  location  TEXT NOT NULL,
  item      BLOB NOT NULL,
  change    BLOB NOT NULL,
  hlc       INTEGER NOT NULL,
  divergent INTEGER NOT NULL,
  PRIMARY KEY(branch, ns, location)
) WITHOUT ROWID)sql",
     // The names of an item (`weft show`): a seek, not a scan of the branch.
     "CREATE INDEX IF NOT EXISTS locations_by_item ON locations(branch, item); "
     // The names of a branch in name order across namespaces (`ls`, the
     // dashboard's pages of names): a range, not a sort of the branch.
     "CREATE INDEX IF NOT EXISTS locations_by_name ON locations(branch, location)"},
    {"deprecations", R"sql(CREATE TABLE IF NOT EXISTS deprecations(
  branch      TEXT NOT NULL,
  location    TEXT NOT NULL,
  reason      TEXT NOT NULL,
  replacement TEXT,
  change      BLOB NOT NULL,
  hlc         INTEGER NOT NULL,
  divergent   INTEGER NOT NULL,
  PRIMARY KEY(branch, location)
) WITHOUT ROWID)sql",
     nullptr},
    {"items", R"sql(CREATE TABLE IF NOT EXISTS items(
  hash     BLOB PRIMARY KEY,
  kind     INTEGER NOT NULL,
  added_by BLOB NOT NULL,
  hlc      INTEGER NOT NULL
) WITHOUT ROWID)sql",
     nullptr},
    {"dependencies", R"sql(CREATE TABLE IF NOT EXISTS dependencies(
  item       BLOB NOT NULL,
  depends_on BLOB NOT NULL,
  PRIMARY KEY(item, depends_on)
) WITHOUT ROWID)sql",
     "CREATE INDEX IF NOT EXISTS dependencies_by_target ON dependencies(depends_on, item)"},
};

constexpr ProjectionTable kOrder[] = {
    {"clocks", "change"},
    {"heads", "change"},
    {"branches", "name, fork"},
    {"branch_heads", "branch, change"},
    {"frontier", "branch, slot, location, change, op_index"},
    {"slot_edits", "branch, slot, location, change, op_index"},
    {"edit_bases", "change, slot, location"},
    {"conflicts", "id"},
    {"archived_branches", "name, change"},
    {"locations", "branch, ns, location"},
    {"deprecations", "branch, location"},
    {"items", "hash"},
    {"dependencies", "item, depends_on"},
};

Status CreateAll(Db& db, std::span<const SchemaTable> tables) {
  for (const SchemaTable& t : tables) {
    WEFT_TRY(db.Exec(t.create));
    if (t.index != nullptr) WEFT_TRY(db.Exec(t.index));
  }
  return {};
}

Result<std::set<std::string>> MainNames(Db& db, const char* type) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT name FROM main.sqlite_master WHERE type = ?"));
  q.Bind(type);
  std::set<std::string> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.insert(q.Text(0));
  }
}

Result<std::set<std::string>> MainTables(Db& db) { return MainNames(db, "table"); }

}  // namespace

std::span<const SchemaTable> CanonicalTables() { return kCanonical; }
std::span<const SchemaTable> ProjectionTableSchemas() { return kProjection; }

Status CreateCanonicalTables(Db& db) { return CreateAll(db, kCanonical); }
Status CreateProjectionTables(Db& db) { return CreateAll(db, kProjection); }

Result<bool> SchemaIsComplete(Db& db) {
  WEFT_ASSIGN_OR_RETURN(auto present, MainTables(db));
  WEFT_ASSIGN_OR_RETURN(auto indexes, MainNames(db, "index"));
  constexpr std::string_view kIndexPrefix = "CREATE INDEX IF NOT EXISTS ";
  for (auto tables : {CanonicalTables(), ProjectionTableSchemas()}) {
    for (const SchemaTable& t : tables) {
      if (!present.contains(t.name)) return false;
      // An index added to an existing table within a Release is built on the
      // first write-open (in its transaction), like a table added so.
      if (t.index == nullptr) continue;
      const std::string_view ddl = t.index;
      for (auto at = ddl.find(kIndexPrefix); at != std::string_view::npos;
           at = ddl.find(kIndexPrefix, at + 1)) {
        const std::string_view name = ddl.substr(at + kIndexPrefix.size());
        if (!indexes.contains(std::string(name.substr(0, name.find(' '))))) return false;
      }
    }
  }
  return true;
}

Status ShadowMissingTables(Db& db) {
  WEFT_ASSIGN_OR_RETURN(auto present, MainTables(db));
  for (auto tables : {CanonicalTables(), ProjectionTableSchemas()}) {
    for (const SchemaTable& t : tables) {
      if (present.contains(t.name)) continue;
      std::string ddl = t.create;
      constexpr std::string_view kPrefix = "CREATE TABLE IF NOT EXISTS ";
      ddl.replace(0, kPrefix.size(), "CREATE TEMP TABLE IF NOT EXISTS ");
      WEFT_TRY(db.Exec(ddl));
    }
  }
  return {};
}

Status DropProjectionTables(Db& db) {
  for (const auto& t : kProjection) {
    WEFT_TRY(db.Exec(fmt::format("DROP TABLE IF EXISTS {}", t.name)));
  }
  return {};
}

Status ClearProjectionTables(Db& db) {
  for (const auto& t : kProjection) {
    WEFT_TRY(db.Exec(fmt::format("DELETE FROM {}", t.name)));
  }
  return {};
}

const ProjectionTable* ProjectionTables(std::size_t* count) {
  *count = std::size(kOrder);
  return kOrder;
}

}  // namespace weft
