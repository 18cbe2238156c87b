// The fold: how one change edits the projections.
//
// Projections are a pure function of the *set* of changes: folding them in any
// causal order gives identical tables. The pieces that make this true:
//   - a branch's view is the set of changes labelled with the branch, plus, for
//     every change holding CreateBranch{branch}, the parent's view up to that change;
//   - per (branch, slot, location) the fold keeps the frontier, the maximal slot
//     edits under causality (vector clocks decide "happened before"); inserting
//     into a set of maximal elements does not depend on insertion order;
//   - the visible binding is the frontier entry with the greatest (hlc, change hash);
//   - conflict records are derived from each slot's history (conflict_record.h).
// See docs/design/fold.md.
#pragma once

#include "fold/projection_cache.h"
#include "model/change.h"

namespace weft {

// REQUIRES: every dep of `c` has been folded into `cache` (or its tables) already,
// and `c` is stored in the changes table of the cache's database.
Status FoldChange(ProjectionCache& cache, Db& db, const EncodedChange& c);

// True when stored change `h` is one of `deps` or in the past of one of them.
// REQUIRES: every dep is folded into `cache` (or its tables).
Result<bool> InPastOf(ProjectionCache& cache, Db& db, const std::vector<ChangeHash>& deps,
                      const ChangeHash& h);

// True when change `c` belongs to the view of `branch` (read-only).
Result<bool> ChangeInView(Db& db, const ChangeHash& c, const std::string& branch);
// How many changes of `a`'s view are not in `b`'s view. The walk goes down from
// `a`'s heads and stops at changes both views hold.
Result<std::uint64_t> CountOnlyIn(Db& db, const std::string& a, const std::string& b);

// Re-derives the races of slots that need it, then writes the cache back. Every
// fold pass ends with this instead of cache.Flush().
Status FlushFold(ProjectionCache& cache, Db& db);

}  // namespace weft
