#include "fold/conflict_queries.h"

#include <map>
#include <set>
#include <tuple>

#include "fold/conflict_record.h"
#include "store/change_log.h"
#include "store/reviews.h"

namespace weft {
namespace {

constexpr const char* kColumns =
    "id, branch, slot, location, candidates, winner, resolution, merged_branch, state, resolver";

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
  WEFT_ASSIGN_OR_RETURN(c.resolution, ResolutionFromColumns(q.Int(6), q.Text(7)));
  WEFT_ASSIGN_OR_RETURN(c.state, ConflictStateFromColumn(q.Int(8)));
  if (!q.IsNull(9)) c.resolver = ChangeHash::FromBytes(q.Blob(9));
  return c;
}

// Ties each race that exists only through propagation to its cause (see
// ConflictInfo::cause). Reads the candidates' changes, each once.
Status TieDependents(Db& db, std::vector<ConflictInfo>& conflicts) {
  std::map<std::tuple<std::string, Slot, std::string>, std::vector<std::size_t>> by_slot;
  for (std::size_t i = 0; i < conflicts.size(); ++i) {
    const auto& c = conflicts[i];
    by_slot[{c.branch, c.slot, c.location}].push_back(i);
  }
  std::map<ChangeHash, std::optional<Change>> changes;
  auto op_of = [&](const FrontierEntry& e) -> Result<const Op*> {
    auto it = changes.find(e.change);
    if (it == changes.end()) {
      WEFT_ASSIGN_OR_RETURN(auto loaded, LoadChange(db, e.change));
      std::optional<Change> ch;
      if (loaded) ch = std::move(loaded->change);
      it = changes.emplace(e.change, std::move(ch)).first;
    }
    if (!it->second || e.op_index >= it->second->ops.size()) return nullptr;
    return &it->second->ops[e.op_index];
  };
  auto change_set = [](const ConflictInfo& c) {
    std::set<ChangeHash> out;
    for (const auto& e : c.candidates) out.insert(e.change);
    return out;
  };
  for (std::size_t i = 0; i < conflicts.size(); ++i) {
    ConflictInfo& dep = conflicts[i];
    std::optional<std::pair<Namespace, std::string>> cause;
    bool propagated = !dep.candidates.empty();
    for (const auto& e : dep.candidates) {
      WEFT_ASSIGN_OR_RETURN(const Op* op, op_of(e));
      const auto* r = op ? std::get_if<Repoint>(op) : nullptr;
      if (!r || (cause && *cause != std::make_pair(r->cause_ns, r->cause))) {
        propagated = false;
        break;
      }
      cause = std::make_pair(r->cause_ns, r->cause);
    }
    if (!propagated) continue;
    auto found = by_slot.find({dep.branch, SlotOf(cause->first), cause->second});
    if (found == by_slot.end()) continue;
    const auto changes_of_dep = change_set(dep);
    for (std::size_t k : found->second) {
      ConflictInfo& root = conflicts[k];
      if (root.state != dep.state || change_set(root) != changes_of_dep) continue;
      dep.cause = root.id;
      root.dependents.push_back(dep.id);
      break;
    }
  }
  return {};
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

Result<std::vector<ConflictInfo>> CollectTied(Db& db, Query& q) {
  WEFT_ASSIGN_OR_RETURN(auto out, Collect(db, q));
  WEFT_TRY(TieDependents(db, out));
  return out;
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
    return CollectTied(db, q);
  }
  static const std::string sql =
      fmt::format("SELECT {} FROM conflicts ORDER BY branch, location, slot, id", kColumns);
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
  return CollectTied(db, q);
}

Result<std::map<ConflictId, ConflictState>> ConflictStates(Db& db) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT id, state FROM conflicts"));
  std::map<ConflictId, ConflictState> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    WEFT_ASSIGN_OR_RETURN(ConflictState state, ConflictStateFromColumn(q.Int(1)));
    out.emplace(ConflictId::FromBytes(q.Blob(0)), state);
  }
}

Result<ConflictInfo> FindConflict(Db& db, const std::string& given) {
  const std::string prefix(WithoutHashMark(given));
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
  // Its ties to other races of its branch.
  WEFT_ASSIGN_OR_RETURN(auto branch, ListConflicts(db, found.front().branch));
  for (auto& c : branch) {
    if (c.id == found.front().id) return std::move(c);
  }
  return std::move(found.front());
}

}  // namespace weft
