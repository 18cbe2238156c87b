// `weft undo`: a new change that puts back what the last change of this instance
// on the current branch replaced. It travels like any change; undoing an undo
// redoes.
#pragma once

#include <string>
#include <vector>

#include "model/change.h"
#include "store/store.h"

namespace weft::workspace {

struct UndoReport {
  ChangeHash undone;
  std::string undone_message;
  EncodedChange change;            // the new change
  std::vector<std::string> names;  // the names it restores, "Demo.M.f: 3a3490b8"
};

// In one write transaction: finds the change, and for each name slot it edited
// the edit it replaced (the latest earlier edit of that slot; none: unbound, or
// not deprecated), and commits the ops that restore them. Refused while ops are
// staged, when this instance has made no change on the branch, when the change
// edited no name (a branch or merge change), and when a later edit of one of its
// names (from here or a peer) would be overwritten: those are listed.
Result<UndoReport> UndoLast(Store& store);

}  // namespace weft::workspace
