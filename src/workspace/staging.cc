#include "workspace/staging.h"

#include "fold/staging.h"
#include "store/wip.h"

namespace weft::workspace {

Result<std::vector<Op>> StageAll(Store& store, const std::vector<Op>& ops,
                                 const std::vector<Item>& blobs) {
  return StageEdits(store, [&]() -> Result<Staging> { return Staging{ops, blobs}; });
}

Status RefuseStaged(Store& store, std::string_view doing) {
  WEFT_ASSIGN_OR_RETURN(std::int64_t staged, CountStaged(store.db(), store.branch()));
  if (staged == 0) return {};
  return Fail(ErrorCode::kFailedPrecondition,
              "commit or discard the {} staged op{} on {} before {}", staged,
              staged == 1 ? "" : "s", store.branch(), doing);
}

}  // namespace weft::workspace
