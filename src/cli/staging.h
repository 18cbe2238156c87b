// Staging edits from the CLI: ops (and the blobs they add) go to `wip` in one
// transaction; `weft commit` later turns them into a change.
#pragma once

#include <vector>

#include "model/item.h"
#include "model/op.h"
#include "store/store.h"

namespace weft::cli {

Status StageAll(Store& store, const std::vector<Op>& ops, const std::vector<Item>& blobs = {});

}  // namespace weft::cli
