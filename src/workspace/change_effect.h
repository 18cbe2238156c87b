// What a committed change did to the names it edited: for each slot, its own edit
// and the edit it replaced (the latest in its causal past). `weft undo` restores
// the replaced edits; `weft diff CHANGE` shows both sides.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fold/frontier.h"
#include "fold/queries.h"
#include "store/store.h"
#include "workspace/staged_view.h"

namespace weft::workspace {

struct SlotStep {
  Slot slot = Slot::kTerm;
  std::string location;
  bool repointed = false;  // the edit is a Repoint (propagation)
  FrontierEntry self;      // the change's edit
  // The edit it replaced: the greatest-stamped edit of the slot in the change's
  // causal past, as the fold picks a winner; nullopt when there was none.
  std::optional<FrontierEntry> previous;
  // An edit made after it (one whose causal past holds it) exists. An edit
  // concurrent with it is neither previous nor later: it raced the change.
  bool overtaken = false;
};

// Each slot `change` edits (the first op per slot), in op order, as folded on
// `branch`; a slot whose edit is not folded there is left out.
Result<std::vector<SlotStep>> StepsOfChange(Db& db, const std::string& branch,
                                            const LogEntry& change);

// `weft diff CHANGE`: the change, and what it did to each name it bound or
// unbound (before: the binding it replaced).
struct ChangeDiff {
  LogEntry change;
  std::string author;
  std::vector<NameDiff> names;
};
Result<ChangeDiff> DiffChange(Store& store, const std::string& hash_prefix);

}  // namespace weft::workspace
