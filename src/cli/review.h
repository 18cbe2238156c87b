// Acting on recorded races and branches: the parts of `weft conflicts resolve`
// and `weft branch merge` that write, shared by the commands and the scenario
// tests.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fold/conflict_queries.h"
#include "fold/merge.h"
#include "model/change.h"
#include "store/store.h"

namespace weft::cli {

// "awaiting review", "acknowledged", "resolved by human", …
std::string StateLabel(const ConflictInfo& conflict);

// The candidate `choice` names: "mine" (authored by this store), "theirs" (by
// another instance), or a prefix of a candidate's change hash. Refused when no
// candidate matches or the matches carry different content.
Result<const FrontierEntry*> ChooseCandidate(Store& store, const ConflictInfo& conflict,
                                             const std::string& choice);

// Commits the resolution change: deps are the branch heads and every candidate;
// ops are Resolve{id} and the op restoring the chosen candidate's outcome, and the
// same for every open race tied to this one (its dependents re-pointed through
// it), each taking its side from the chosen candidate's change. The conflict is
// read again inside the write transaction: it must still be open and on the
// current branch.
struct Resolution {
  EncodedChange change;
  FrontierEntry chosen;                 // the candidate whose side was kept
  std::vector<std::string> dependents;  // locations of the tied races resolved too
};
Result<Resolution> ResolveConflict(Store& store, const ConflictInfo& conflict,
                                   const std::string& choice);

struct MergeResult {
  bool up_to_date = false;
  std::optional<EncodedChange> change;
  std::vector<std::string> collisions;  // locations that took the other side
};
// Merges branch `name` into the current branch (refused with staged ops).
Result<MergeResult> MergeIntoCurrent(Store& store, const std::string& name);

// Another instance whose latest change is stamped more than 5 minutes after `now`
// (Unix ms): its edits win races until real time catches up (`weft status`).
struct ClockAhead {
  std::string instance;
  std::uint64_t minutes = 0;
};
Result<std::vector<ClockAhead>> ClocksAhead(Store& store, std::uint64_t now_ms);

}  // namespace weft::cli
