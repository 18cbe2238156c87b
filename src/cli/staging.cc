#include "cli/staging.h"

#include "store/blob_store.h"
#include "store/wip.h"

namespace weft::cli {

Status StageAll(Store& store, const std::vector<Op>& ops, const std::vector<Item>& blobs) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(store.db()));
  for (const Item& item : blobs) WEFT_TRY(PutBlob(store.db(), item));
  for (const Op& op : ops) WEFT_TRY(StageOp(store.db(), store.branch(), op));
  return tx.Commit();
}

Status RefuseStaged(Store& store, std::string_view doing) {
  WEFT_ASSIGN_OR_RETURN(auto staged, LoadStaged(store.db(), store.branch()));
  if (staged.empty()) return {};
  return Fail(ErrorCode::kFailedPrecondition,
              "commit or discard the {} staged op{} on {} before {}", staged.size(),
              staged.size() == 1 ? "" : "s", store.branch(), doing);
}

}  // namespace weft::cli
