// Staged ops (`wip`): edits made on a branch but not yet committed as a change.
//
// Staged ops are local and never sync. They belong to the branch they were staged
// on; `weft commit` turns the current branch's staged ops into one change.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/op.h"
#include "store/sqlite.h"

namespace weft {

Status StageOp(Db& db, const std::string& branch, const Op& op);
Result<std::vector<Op>> LoadStaged(Db& db, const std::string& branch);
Status ClearStaged(Db& db, const std::string& branch);

}  // namespace weft
