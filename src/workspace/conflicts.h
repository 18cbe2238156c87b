// Conflict review: the races the fold recorded, as a person reviews them (each
// side's content, instance and source), acknowledging them, and resolving them
// with a change every peer adopts.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fold/conflict_queries.h"
#include "fold/outcome.h"
#include "model/change.h"
#include "store/store.h"

namespace weft::workspace {

// "awaiting review", "acknowledged", "resolved by human", …
std::string StateLabel(const ConflictInfo& conflict);

// One candidate of a race as a person sees it.
struct Side {
  FrontierEntry entry;
  DecodedOutcome outcome;
  std::string instance;  // who made it
  bool mine = false;     // authored by this store
  bool kept = false;     // the side in effect
  std::string source;    // its content as weft source, or a few words (show only)
};
struct ConflictView {
  ConflictInfo info;
  std::vector<Side> sides;
  std::vector<std::string> dependents;  // locations of the races tied to this one
};
// The races of the current branch, each with its sides; only those awaiting review
// unless `all`. Races tied to a cause are folded into their cause's view unless
// `tied` lists them too.
Result<std::vector<ConflictView>> ListConflictViews(Store& store, bool all, bool tied = false);
// One race by id prefix, with each side's source.
Result<ConflictView> ShowConflict(Store& store, const std::string& id);
// Acknowledges one race by id prefix, or every race awaiting review on the current
// branch (`all`); returns what was acknowledged. Local, never synced.
Result<std::vector<ConflictInfo>> AckConflicts(Store& store, const std::string& id_or_all);

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
  std::string location;  // the race's
  EncodedChange change;
  FrontierEntry chosen;                 // the candidate whose side was kept
  std::vector<std::string> dependents;  // locations of the tied races resolved too
};
Result<Resolution> ResolveConflict(Store& store, const ConflictInfo& conflict,
                                   const std::string& choice);
// The same, naming the race by id prefix.
Result<Resolution> ResolveConflict(Store& store, const std::string& id, const std::string& choice);

}  // namespace weft::workspace
