#include "store/wip.h"

namespace weft {

Status StageOp(Db& db, const std::string& branch, const Op& op) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("INSERT INTO wip(branch, op) VALUES(?, ?)"));
  return q.Bind(branch, EncodeOpBytes(op)).Run();
}

Result<std::vector<Op>> LoadStaged(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT op FROM wip WHERE branch = ? ORDER BY id"));
  q.Bind(branch);
  std::vector<Op> ops;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return ops;
    auto op = DecodeOpBytes(q.Blob(0));
    if (!op)
      return Fail(ErrorCode::kCorruption, "a staged op is damaged: {}", op.error().message());
    ops.push_back(std::move(*op));
  }
}

Status ClearStaged(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("DELETE FROM wip WHERE branch = ?"));
  return q.Bind(branch).Run();
}

}  // namespace weft
