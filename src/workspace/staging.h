// Staging edits from the CLI: ops (and the blobs they add) go to `wip` in one
// transaction; `weft commit` later turns them into a change.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/item.h"
#include "model/op.h"
#include "store/store.h"

namespace weft::workspace {

// Returns the ops staged.
Result<std::vector<Op>> StageAll(Store& store, const std::vector<Op>& ops,
                                 const std::vector<Item>& blobs = {});

// Refuses (kFailedPrecondition) while ops are staged on the current branch, for a
// command that commits a change of its own; `doing` ends the sentence ("merging").
Status RefuseStaged(Store& store, std::string_view doing);

}  // namespace weft::workspace
