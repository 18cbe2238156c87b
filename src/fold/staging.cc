#include "fold/staging.h"

#include <map>

#include "fold/outcome.h"
#include "fold/queries.h"
#include "store/blob_store.h"

namespace weft {

Status StageInTransaction(Store& store, const Staging& staging) {
  Db& db = store.db();
  for (const Item& item : staging.blobs) WEFT_TRY(PutBlob(db, item));
  for (const Op& op : staging.ops) {
    std::optional<std::vector<ChangeHash>> base;
    if (auto edit = SlotEditOf(op)) {
      WEFT_ASSIGN_OR_RETURN(base, FrontierChanges(db, store.branch(), edit->slot, edit->location));
    }
    WEFT_TRY(StageOp(db, store.branch(), op, base));
  }
  return {};
}

Result<std::vector<Op>> StageEdits(Store& store, const std::function<Result<Staging>()>& plan) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store.db()));
  WEFT_ASSIGN_OR_RETURN(Staging staging, plan());
  if (staging.ops.empty()) return std::vector<Op>{};
  WEFT_TRY(StageInTransaction(store, staging));
  WEFT_TRY(tx.Commit());
  return std::move(staging.ops);
}

Result<std::vector<StaleEdit>> StaleStagedEdits(Db& db, const std::string& branch,
                                                const std::vector<StagedOp>& staged) {
  std::map<std::pair<Slot, std::string>, const std::vector<ChangeHash>*> last;
  for (const StagedOp& s : staged) {
    auto edit = SlotEditOf(s.op);
    if (!edit) continue;
    // Rows staged by an older build carry no base: nothing to compare.
    last[{edit->slot, edit->location}] = s.base ? &*s.base : nullptr;
  }
  std::vector<StaleEdit> out;
  for (const auto& [key, base] : last) {
    if (base == nullptr) continue;
    WEFT_ASSIGN_OR_RETURN(auto now, FrontierChanges(db, branch, key.first, key.second));
    if (now != *base) out.push_back(StaleEdit{key.first, key.second, *base});
  }
  return out;
}

}  // namespace weft
