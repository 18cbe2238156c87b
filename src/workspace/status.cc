#include "workspace/status.h"

#include <algorithm>

#include "fold/conflict_queries.h"
#include "fold/digest.h"
#include "fold/ledger.h"
#include "fold/queries.h"
#include "fold/staging.h"
#include "store/change_log.h"
#include "store/peers.h"
#include "store/quarantine.h"
#include "store/schema.h"
#include "store/wip.h"
#include "workspace/fsck.h"
#include "workspace/labels.h"

namespace weft::workspace {

Result<std::vector<ClockAhead>> ClocksAhead(Store& store, std::uint64_t now_ms) {
  constexpr std::uint64_t kTolerance = 5 * 60 * 1000;
  // Only the actors stamped past the tolerance: an index range, empty as a rule.
  WEFT_ASSIGN_OR_RETURN(auto stamps,
                        LatestStampPerActor(store.db(), Hlc::From(now_ms + kTolerance, 0xffff)));
  std::vector<ClockAhead> out;
  for (const auto& [actor, hlc] : stamps) {
    WEFT_ASSIGN_OR_RETURN(bool own, IsOwnActor(store.db(), actor));
    if (own || hlc.millis() <= now_ms + kTolerance) continue;
    out.push_back(ClockAhead{AuthorLabel(store, actor), (hlc.millis() - now_ms) / 60'000});
  }
  return out;
}

Result<StatusReport> GetStatus(Store& store) {
  Db& db = store.db();
  StatusReport r;
  r.dir = store.dir();
  r.release = kRelease;
  r.instance = store.instance_name();
  r.actor = store.actor();
  r.branch = store.branch();
  WEFT_ASSIGN_OR_RETURN(r.changes, CountChanges(db));
  WEFT_ASSIGN_OR_RETURN(r.folded, CountFolded(db));
  WEFT_ASSIGN_OR_RETURN(r.pending, CountPending(db));
  WEFT_ASSIGN_OR_RETURN(r.staged, CountStaged(db, store.branch()));
  // Status still answers when a staged op is damaged; it says so.
  if (auto staged = LoadStagedOps(db, store.branch()); staged) {
    WEFT_ASSIGN_OR_RETURN(auto stale, StaleStagedEdits(db, store.branch(), *staged));
    for (const auto& e : stale) r.staged_overtaken.push_back(e.location);
  } else {
    r.staged_damage = staged.error().message();
  }
  WEFT_ASSIGN_OR_RETURN(r.heads, LogHeads(db));
  WEFT_ASSIGN_OR_RETURN(r.branch_heads, BranchHeads(db, store.branch()));
  // Status still answers over a damaged log (it reads changes to list conflicts);
  // it says so and points at `weft fsck`.
  if (auto conflicts = ListConflicts(db, store.branch()); conflicts) {
    r.conflicts_awaiting_review = std::count_if(conflicts->begin(), conflicts->end(),
                                                [](const auto& c) { return c.AwaitingReview(); });
  } else if (conflicts.error().code() == ErrorCode::kCorruption) {
    r.damage = conflicts.error().message();
  } else {
    return Fail(conflicts.error());
  }
  WEFT_ASSIGN_OR_RETURN(r.clocks_ahead, ClocksAhead(store, SystemMillis()));
  WEFT_ASSIGN_OR_RETURN(auto fsck, LastFsckOf(store));
  if (fsck) {
    r.fsck_at_ms = fsck->at_ms;
    r.fsck_findings = fsck->findings;
  }
  WEFT_ASSIGN_OR_RETURN(auto quarantined, ListQuarantine(store.db()));
  for (const auto& q : quarantined) r.quarantined_missing += q.recovered ? 0 : 1;
  return r;
}

Result<RebuildReport> RebuildProjections(Store& store) {
  Ledger ledger(store);
  WEFT_TRY(ledger.Rebuild());
  RebuildReport r;
  r.repaired_columns = ledger.repaired_columns();
  WEFT_ASSIGN_OR_RETURN(r.folded, CountFolded(store.db()));
  WEFT_ASSIGN_OR_RETURN(r.digest, ProjectionDigest(store.db()));
  return r;
}

}  // namespace weft::workspace
