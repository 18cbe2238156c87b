// Staging: edits a person makes before committing them as one change.
//
// Staged ops live in `wip` (store/wip.h). Each slot edit is staged with the slot's
// frontier at that moment, the binding it replaced. When a sync moves the slot
// before the commit, the edit is *stale*: the person never saw the newer edit, so
// the commit records the overwrite as a race (model/op.h, Base) instead of
// silently following it. Every function here that writes runs in one transaction,
// reads included.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/item.h"
#include "model/op.h"
#include "store/store.h"
#include "store/wip.h"

namespace weft {

struct Staging {
  std::vector<Op> ops;
  std::vector<Item> blobs;
};

// Stages `ops` (and their blobs) on the current branch.
// REQUIRES: inside a write transaction on `store`.
Status StageInTransaction(Store& store, const Staging& staging);
// Plans and stages in one write transaction: `plan` reads the store as it is once
// the write lock is held, so two processes staging at once never plan from the
// same stale state. Returns the ops it staged.
Result<std::vector<Op>> StageEdits(Store& store, const std::function<Result<Staging>()>& plan);

// A staged slot edit whose slot moved after it was staged.
struct StaleEdit {
  Slot slot;
  std::string location;
  std::vector<ChangeHash> base;  // the frontier the person saw
};
// Per slot, the last staged edit decides (it holds the person's latest view).
Result<std::vector<StaleEdit>> StaleStagedEdits(Db& db, const std::string& branch,
                                                const std::vector<StagedOp>& staged);

}  // namespace weft
