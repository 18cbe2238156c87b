#include "fold/conflict_queries.h"

#include "fold/conflict_record.h"
#include "store/reviews.h"

namespace weft {
namespace {

constexpr const char* kColumns =
    "id, branch, slot, location, candidates, winner, resolution, state, resolver";

Result<ConflictInfo> InfoFromRow(Query& q) {
  ConflictInfo c;
  c.id = ConflictId::FromBytes(q.Blob(0));
  c.branch = q.Text(1);
  const auto slot = q.Int(2);
  if (slot < 1 || slot > 3) return Fail(ErrorCode::kCorruption, "stored conflict slot is damaged");
  c.slot = static_cast<Slot>(slot);
  c.location = q.Text(3);
  WEFT_ASSIGN_OR_RETURN(c.candidates, DecodeCandidates(q.Blob(4)));
  c.winner = ChangeHash::FromBytes(q.Blob(5));
  c.resolution = q.Text(6);
  c.state = q.Text(7);
  if (!q.IsNull(8)) c.resolver = ChangeHash::FromBytes(q.Blob(8));
  return c;
}

Result<std::vector<ConflictInfo>> Collect(Db& db, Query& q) {
  WEFT_ASSIGN_OR_RETURN(auto acked, AckedConflicts(db));
  std::vector<ConflictInfo> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    WEFT_ASSIGN_OR_RETURN(ConflictInfo c, InfoFromRow(q));
    c.acked = acked.contains(c.id);
    out.push_back(std::move(c));
  }
}

}  // namespace

const char* SlotName(Slot slot) {
  switch (slot) {
    case Slot::kTerm:
      return "term";
    case Slot::kType:
      return "type";
    case Slot::kDeprecation:
      return "deprecation";
  }
  return "?";
}

Result<std::vector<ConflictInfo>> ListConflicts(Db& db, const std::optional<std::string>& branch) {
  if (branch) {
    static const std::string sql = fmt::format(
        "SELECT {} FROM conflicts WHERE branch = ? ORDER BY location, slot, id", kColumns);
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
    q.Bind(*branch);
    return Collect(db, q);
  }
  static const std::string sql =
      fmt::format("SELECT {} FROM conflicts ORDER BY branch, location, slot, id", kColumns);
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
  return Collect(db, q);
}

Result<std::map<ConflictId, std::string>> ConflictStates(Db& db) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT id, state FROM conflicts"));
  std::map<ConflictId, std::string> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.emplace(ConflictId::FromBytes(q.Blob(0)), q.Text(1));
  }
}

Result<ConflictInfo> FindConflict(Db& db, const std::string& prefix) {
  if (!IsHexPrefix(prefix)) {
    return Fail(ErrorCode::kInvalidArgument,
                "'{}' is not a conflict id: give 8 or more hex digits from `weft conflicts`",
                prefix);
  }
  static const std::string sql =
      fmt::format("SELECT {} FROM conflicts WHERE hex(id) LIKE ? LIMIT 2", kColumns);
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
  q.Bind(HexPrefixPattern(prefix));
  WEFT_ASSIGN_OR_RETURN(auto found, Collect(db, q));
  if (found.empty())
    return Fail(ErrorCode::kNotFound, "no conflict has an id starting with {}", prefix);
  if (found.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument, "conflict id {} is ambiguous: give more digits",
                prefix);
  }
  return std::move(found.front());
}

}  // namespace weft
