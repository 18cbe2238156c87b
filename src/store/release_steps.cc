#include "store/release_steps.h"

#include "core/release.h"

namespace weft {
namespace {

// Release 2: the log's order gets a column of its own. Release 1 kept it in the
// implicit rowid of `changes`, which SQLite may renumber on VACUUM; the fold
// replays the log in that order, so it must be stable. Copy-and-swap keeps every
// row, byte for byte, in the same order. Release 1's `schema_version`, written
// and never read, goes: the Release is the store's one version.
Status LogPositionColumn(Db& db) {
  return db.Exec(R"sql(
CREATE TABLE changes_release2(
  id     INTEGER PRIMARY KEY,
  hash   BLOB NOT NULL UNIQUE,
  actor  BLOB NOT NULL,
  seq    INTEGER NOT NULL,
  hlc    INTEGER NOT NULL,
  branch TEXT NOT NULL,
  deps   BLOB NOT NULL,
  bytes  BLOB NOT NULL,
  UNIQUE(actor, seq)
);
INSERT INTO changes_release2(id, hash, actor, seq, hlc, branch, deps, bytes)
  SELECT rowid, hash, actor, seq, hlc, branch, deps, bytes FROM changes ORDER BY rowid;
DROP TABLE changes;
ALTER TABLE changes_release2 RENAME TO changes;
DELETE FROM meta WHERE key = 'schema_version';
)sql");
}

constexpr ReleaseStep kSteps[] = {
    {2, StepKind::kDurable, "the change log's order is kept in a column of its own",
     LogPositionColumn},
};
static_assert(std::size(kSteps) > 0 && kSteps[std::size(kSteps) - 1].to == kRelease,
              "every Release has its step");

}  // namespace

std::span<const ReleaseStep> ReleaseSteps() { return kSteps; }

}  // namespace weft
