// Staged ops (`wip`): edits made on a branch but not yet committed as a change.
//
// Staged ops are local and never sync. They belong to the branch they were staged
// on; `weft commit` turns the current branch's staged ops into one change. A
// staged slot edit remembers the slot's frontier when it was staged (`base`: the
// binding it replaced), so a commit can tell that a sync moved the slot since.
//
// Row format of `wip.op`: op (docs/formats.md) [u8(1) hashlist(base)].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/op.h"
#include "store/sqlite.h"

namespace weft {

struct StagedOp {
  std::int64_t id = 0;  // rowid: staging order
  Op op;
  std::optional<std::vector<ChangeHash>> base;  // sorted; slot edits staged by this build
};

Status StageOp(Db& db, const std::string& branch, const Op& op,
               const std::optional<std::vector<ChangeHash>>& base = std::nullopt);
// In staging order. A damaged row is kCorruption naming `weft discard`.
Result<std::vector<StagedOp>> LoadStagedOps(Db& db, const std::string& branch);
// The ops alone, in staging order.
Result<std::vector<Op>> LoadStaged(Db& db, const std::string& branch);
Result<std::int64_t> CountStaged(Db& db, const std::string& branch);
// Removes exactly these rows (the ops a commit consumed).
Status DeleteStaged(Db& db, const std::vector<std::int64_t>& ids);
// Removes every staged row of `branch` without reading them, damaged or not.
// Returns how many were removed. REQUIRES: inside a write transaction.
Result<std::int64_t> ClearStaged(Db& db, const std::string& branch);
// ClearStaged in a transaction of its own (`weft discard`).
Result<std::int64_t> DiscardStaged(Db& db, const std::string& branch);
// Rewrites the base of every staged row through `rename` (old change -> new), for
// a store that re-issued changes under a new actor.
Status RenameStagedBases(Db& db, const std::vector<std::pair<ChangeHash, ChangeHash>>& rename);

}  // namespace weft
