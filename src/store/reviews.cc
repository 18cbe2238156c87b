#include "store/reviews.h"

namespace weft {

Status AckConflict(Db& db, const ConflictId& id) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("INSERT OR IGNORE INTO conflict_reviews(id) VALUES(?)"));
  return q.Bind(id.bytes()).Run();
}

Status AckConflicts(Db& db, const std::vector<ConflictId>& ids) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  for (const ConflictId& id : ids) WEFT_TRY(AckConflict(db, id));
  return tx.Commit();
}

Result<std::set<ConflictId>> AckedConflicts(Db& db) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT id FROM conflict_reviews"));
  WEFT_ASSIGN_OR_RETURN(auto ids, CollectHashes<ConflictId>(q));
  return std::set<ConflictId>(ids.begin(), ids.end());
}

}  // namespace weft
