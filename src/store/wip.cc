#include "store/wip.h"

#include <algorithm>
#include <map>

#include "core/codec.h"

namespace weft {
namespace {

Bytes EncodeRow(const Op& op, const std::optional<std::vector<ChangeHash>>& base) {
  Writer w;
  EncodeOp(op, w);
  if (base) {
    std::vector<Digest> sorted;
    for (const auto& h : *base) sorted.push_back(h.digest());
    SortUnique(sorted);
    w.PutU8(1);
    w.PutDigestList(sorted);
  }
  return w.Take();
}

Result<StagedOp> DecodeRow(std::int64_t id, ByteView bytes) {
  Reader r(bytes);
  StagedOp out;
  out.id = id;
  WEFT_ASSIGN_OR_RETURN(out.op, DecodeOp(r));
  if (!r.AtEnd()) {
    WEFT_ASSIGN_OR_RETURN(std::uint8_t tag, r.GetU8());
    if (tag != 1) return Fail(ErrorCode::kCorruption, "unknown staged-op trailer {}", tag);
    WEFT_ASSIGN_OR_RETURN(std::vector<Digest> base, r.GetDigestList());
    out.base.emplace();
    for (const Digest& d : base) out.base->emplace_back(d);
  }
  WEFT_TRY(r.ExpectEnd("staged op"));
  return out;
}

}  // namespace

Status StageOp(Db& db, const std::string& branch, const Op& op,
               const std::optional<std::vector<ChangeHash>>& base) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("INSERT INTO wip(branch, op) VALUES(?, ?)"));
  return q.Bind(branch, EncodeRow(op, base)).Run();
}

Result<std::vector<StagedOp>> LoadStagedOps(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT id, op FROM wip WHERE branch = ? ORDER BY id"));
  q.Bind(branch);
  std::vector<StagedOp> ops;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return ops;
    auto op = DecodeRow(q.Int(0), q.Blob(1));
    if (!op) {
      return Fail(ErrorCode::kCorruption,
                  "a staged op on {} is damaged ({}); `weft discard` drops the staged ops", branch,
                  op.error().message());
    }
    ops.push_back(std::move(*op));
  }
}

Result<std::vector<Op>> LoadStaged(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(auto staged, LoadStagedOps(db, branch));
  std::vector<Op> ops;
  ops.reserve(staged.size());
  for (auto& s : staged) ops.push_back(std::move(s.op));
  return ops;
}

Result<std::int64_t> CountStaged(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT COUNT(*) FROM wip WHERE branch = ?"));
  q.Bind(branch);
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  return row ? q.Int(0) : 0;
}

Status DeleteStaged(Db& db, const std::vector<std::int64_t>& ids) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("DELETE FROM wip WHERE id = ?"));
  for (std::int64_t id : ids) {
    WEFT_TRY(q.Bind(id).Run());
    WEFT_TRY(q.Reset());
  }
  return {};
}

Result<std::int64_t> ClearStaged(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("DELETE FROM wip WHERE branch = ?"));
  WEFT_TRY(q.Bind(branch).Run());
  return db.Changes();
}

Result<std::int64_t> DiscardStaged(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(std::int64_t n, ClearStaged(db, branch));
  WEFT_TRY(tx.Commit());
  return n;
}

Status RenameStagedBases(Db& db, const std::vector<std::pair<ChangeHash, ChangeHash>>& rename) {
  if (rename.empty()) return {};
  const std::map<ChangeHash, ChangeHash> map(rename.begin(), rename.end());
  std::vector<std::pair<std::int64_t, Bytes>> updates;
  {
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT id, op FROM wip ORDER BY id"));
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      auto staged = DecodeRow(q.Int(0), q.Blob(1));
      if (!staged || !staged->base) continue;  // damaged rows stay for `discard`
      bool changed = false;
      for (auto& h : *staged->base) {
        if (auto it = map.find(h); it != map.end()) {
          h = it->second;
          changed = true;
        }
      }
      if (changed) updates.emplace_back(staged->id, EncodeRow(staged->op, staged->base));
    }
  }
  WEFT_ASSIGN_OR_RETURN(Query u, db.Prepare("UPDATE wip SET op = ? WHERE id = ?"));
  for (const auto& [id, bytes] : updates) {
    WEFT_TRY(u.Bind(bytes, id).Run());
    WEFT_TRY(u.Reset());
  }
  return {};
}

}  // namespace weft
