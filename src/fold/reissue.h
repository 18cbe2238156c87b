// Re-issuing a forked actor's changes: how a store restored from a backup gets its
// new work to the other instances.
//
// A store copied aside, then restored in place (same host, same path), keeps its
// actor. The copy's later changes (seq n+1...) reached other instances before the
// restore; the restored store then authors new changes reusing those seqs with
// other content, and every instance holding the originals refuses them, forever.
// A sync detects this the first time it receives a change of one of our own actors
// whose (actor, seq) we hold with other content. Then, in one transaction, the
// store mints a new actor, re-issues each of its own changes of the forked actor
// from that seq on under the new actor (same ops, same message, same stamp, deps
// renamed to the re-issued copies), removes the originals and re-folds the
// projections. The re-issued changes are new changes to every other instance, and
// the originals never left this store, so nothing is lost and nothing clashes.
#pragma once

#include <vector>

#include "model/change.h"
#include "store/store.h"

namespace weft {

struct Reissue {
  ActorId forked;
  ActorId actor;                                           // the new one
  std::vector<std::pair<ChangeHash, ChangeHash>> renamed;  // original -> re-issued
};

// Re-issues our changes of `forked` with seq >= `from_seq`. kFailedPrecondition,
// writing nothing, when a change of another actor in this store builds on one of
// them (they were shared: re-issuing would strand that change), or when `forked`
// is not one of this store's actors.
Result<Reissue> ReissueForkedChanges(Store& store, const ActorId& forked, std::uint64_t from_seq);

}  // namespace weft
