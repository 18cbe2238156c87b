#include "fold/queries.h"

#include <algorithm>
#include <set>

#include "fold/conflict_record.h"
#include "fold/ledger.h"
#include "model/names.h"
#include "store/blob_store.h"

namespace weft {
namespace {

// A binding is divergent when concurrent edits disagree on its name or on its
// deprecation (an open race on the deprecation slot, whichever side won).
static_assert(static_cast<int>(ConflictState::kOpen) == 1, "c.state = 1 below");
static_assert(static_cast<int>(Slot::kDeprecation) == 3, "c.slot = 3 below");
constexpr const char* kBindingColumns =
    "SELECT l.location, l.ns, l.item, i.kind, l.change, l.hlc, "
    "l.divergent OR EXISTS(SELECT 1 FROM conflicts c WHERE c.branch = l.branch AND c.slot = 3 "
    "AND c.location = l.location AND c.state = 1), d.reason, d.replacement "
    "FROM locations l LEFT JOIN items i ON i.hash = l.item "
    "LEFT JOIN deprecations d ON d.branch = l.branch AND d.location = l.location ";

Result<Binding> ReadBinding(Query& q) {
  Binding b;
  b.location = q.Text(0);
  WEFT_ASSIGN_OR_RETURN(b.ns, NamespaceFromByte(static_cast<std::uint8_t>(q.Int(1))));
  b.item = ItemHash::FromBytes(q.Blob(2));
  if (!q.IsNull(3)) {
    WEFT_ASSIGN_OR_RETURN(ItemKind k, ItemKindFromByte(static_cast<std::uint8_t>(q.Int(3))));
    b.kind = k;
  }
  b.change = ChangeHash::FromBytes(q.Blob(4));
  b.hlc = Hlc(static_cast<std::uint64_t>(q.Int(5)));
  b.divergent = q.Int(6) != 0;
  if (!q.IsNull(7)) b.deprecated_reason = q.Text(7);
  if (!q.IsNull(8)) b.replacement = q.Text(8);
  return b;
}

}  // namespace

Result<std::vector<Binding>> ListBindings(Db& db, const std::string& branch,
                                          const std::string& prefix, const std::string& after,
                                          int limit) {
  // The names starting with `prefix` lie in [prefix, bound) in byte order, where
  // bound is the prefix with its last byte below 0xff raised by one: a range of
  // the key per namespace, not a scan of the branch. (No such byte: no bound.)
  std::string bound = prefix;
  while (!bound.empty() && static_cast<unsigned char>(bound.back()) == 0xff) bound.pop_back();
  if (!bound.empty()) bound.back() = static_cast<char>(bound.back() + 1);
  // One lower bound, so that SQLite seeks to it: past `after` when paging on
  // (a location after it is one under the prefix too, or past the prefix's range).
  const bool from_after = !after.empty() && after >= prefix;
  const auto sql = [](const char* lower) {
    return std::string(kBindingColumns) + "WHERE l.branch = ? AND l.ns IN (1, 2) AND l.location " +
           lower +
           " ? AND (? = '' OR l.location < ?) AND substr(l.location, 1, length(?)) = ? "
           "ORDER BY l.location, l.ns LIMIT ?";
  };
  static const std::string at_prefix = sql(">="), past_after = sql(">");
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(from_after ? past_after.c_str() : at_prefix.c_str()));
  q.Bind(branch, from_after ? after : prefix, bound, bound, prefix, prefix, limit);
  std::vector<Binding> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    WEFT_ASSIGN_OR_RETURN(Binding b, ReadBinding(q));
    out.push_back(std::move(b));
  }
}

Result<std::vector<std::pair<std::string, Namespace>>> ListLocations(Db& db,
                                                                     const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT location, ns FROM locations WHERE branch = ? "
                                            "AND ns IN (1, 2) ORDER BY location, ns"));
  q.Bind(branch);
  std::vector<std::pair<std::string, Namespace>> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.emplace_back(q.Text(0), static_cast<Namespace>(q.Int(1)));
  }
}

Result<std::vector<std::pair<std::string, std::int64_t>>> ModuleCounts(Db& db,
                                                                       const std::string& branch) {
  // rtrim(x, replace(x, '.', '')) strips the last part after the last dot (it
  // trims the characters that are not dots); the dot itself is trimmed after.
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT rtrim(rtrim(location, replace(location, '.', '')), '.') AS m, "
                          "COUNT(*) FROM locations WHERE branch = ? AND ns IN (1, 2) "
                          "GROUP BY m ORDER BY m"));
  q.Bind(branch);
  std::vector<std::pair<std::string, std::int64_t>> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.emplace_back(q.Text(0), q.Int(1));
  }
}

Result<std::optional<Binding>> FindBinding(Db& db, const std::string& branch,
                                           const std::string& location,
                                           std::optional<Namespace> ns) {
  // The whole key (branch, ns, location), one namespace at a time in their order:
  // a lookup is one index seek whatever the store's size (without the namespace,
  // SQLite would scan every binding of the branch).
  static const std::string sql =
      std::string(kBindingColumns) + "WHERE l.branch = ? AND l.ns = ? AND l.location = ?";
  for (Namespace n : {Namespace::kTerm, Namespace::kType}) {
    if (ns && n != *ns) continue;
    WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(sql.c_str()));
    q.Bind(branch, static_cast<std::uint8_t>(n), location);
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) continue;
    WEFT_ASSIGN_OR_RETURN(Binding b, ReadBinding(q));
    return std::optional<Binding>(std::move(b));
  }
  return std::optional<Binding>();
}

Result<std::vector<std::string>> NamesOf(Db& db, const std::string& branch, const ItemHash& item) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT location FROM locations WHERE branch = ? AND item = ? "
                                   "ORDER BY location"));
  q.Bind(branch, item.bytes());
  std::vector<std::string> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out.push_back(q.Text(0));
  }
}

namespace {

// The one hash `find` gives for `given` (#-mark allowed); `what` names it in errors.
template <typename H, typename Find>
Result<H> ResolvePrefix(Db& db, const std::string& given, std::string_view what,
                        std::string_view neither, Find find) {
  const std::string prefix(WithoutHashMark(given));
  if (!IsHexPrefix(prefix)) {
    return Fail(ErrorCode::kInvalidArgument,
                "'{}' is neither {} nor a hash of 8 or more hex digits", prefix, neither);
  }
  WEFT_ASSIGN_OR_RETURN(std::vector<H> found, find(db, prefix, 2));
  if (found.empty())
    return Fail(ErrorCode::kNotFound, "no {} has a hash starting with {}", what, prefix);
  if (found.size() > 1) {
    return Fail(ErrorCode::kInvalidArgument, "hash prefix {} is ambiguous: give more digits",
                prefix);
  }
  return found.front();
}

}  // namespace

Result<ItemHash> ResolveItemPrefix(Db& db, const std::string& given) {
  return ResolvePrefix<ItemHash>(db, given, "item", "a name", FindItemsByPrefix);
}

Result<ChangeHash> ResolveChangePrefix(Db& db, const std::string& given) {
  return ResolvePrefix<ChangeHash>(db, given, "change", "a name", FindChangesByPrefix);
}

Result<FrontierEntry> FrontierEntryFromRow(Query& q) {
  WEFT_ASSIGN_OR_RETURN(ActorId actor, ActorId::FromBytes(q.Blob(2)));
  ByteView outcome = q.Blob(5);
  return FrontierEntry{ChangeHash::FromBytes(q.Blob(0)),
                       static_cast<std::uint32_t>(q.Int(1)),
                       actor,
                       static_cast<std::uint64_t>(q.Int(3)),
                       Hlc(static_cast<std::uint64_t>(q.Int(4))),
                       Bytes(outcome.begin(), outcome.end())};
}

namespace {

// The changes whose hashes `q` yields (first column), in that order.
Result<std::vector<LogEntry>> LoadEntries(Db& db, Query& q) {
  WEFT_ASSIGN_OR_RETURN(auto hashes, CollectHashes<ChangeHash>(q));
  std::vector<LogEntry> out;
  for (const ChangeHash& h : hashes) {
    WEFT_ASSIGN_OR_RETURN(auto c, LoadChange(db, h));
    if (c) out.push_back(LogEntry{h, std::move(c->change)});
  }
  return out;
}

}  // namespace

Result<std::vector<LogEntry>> RecentChanges(Db& db, int limit) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT hash FROM changes ORDER BY hlc DESC, hash DESC LIMIT ?"));
  q.Bind(limit);
  return LoadEntries(db, q);
}

Result<std::vector<LogEntry>> RecentChangesWhere(Db& db, int limit, const std::string& branch,
                                                 const std::string& instance,
                                                 const std::string& own_name) {
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("SELECT hash FROM changes WHERE (?1 = '' OR branch = ?1) AND (?2 = '' OR "
                 "(CASE WHEN actor IN (SELECT actor FROM own_actors) THEN ?3 ELSE (SELECT name "
                 "FROM actor_names WHERE actor = changes.actor) END) = ?2) "
                 "ORDER BY hlc DESC, hash DESC LIMIT ?4"));
  q.Bind(branch, instance, own_name, limit);
  return LoadEntries(db, q);
}

Result<std::vector<LogEntry>> ChangesOfName(Db& db, const std::string& branch,
                                            const std::string& location) {
  // The key of slot_edits is (branch, slot, location, …): one seek per slot.
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT change, MAX(hlc) AS h FROM slot_edits WHERE branch = ? "
                                   "AND slot IN (1, 2, 3) AND location = ? GROUP BY change "
                                   "ORDER BY h DESC, change DESC"));
  q.Bind(branch, location);
  return LoadEntries(db, q);
}

Result<std::optional<LogEntry>> LastOwnChange(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(Query q,
                        db.Prepare("SELECT hash FROM changes WHERE branch = ? AND actor IN "
                                   "(SELECT actor FROM own_actors) ORDER BY hlc DESC, "
                                   "hash DESC LIMIT 1"));
  q.Bind(branch);
  WEFT_ASSIGN_OR_RETURN(auto entries, LoadEntries(db, q));
  if (entries.empty()) return std::optional<LogEntry>();
  return std::optional<LogEntry>(std::move(entries.front()));
}

Result<std::vector<FrontierEntry>> SlotHistory(Db& db, const std::string& branch, Slot slot,
                                               const std::string& location) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT change, op_index, actor, seq, hlc, outcome "
                                            "FROM slot_edits WHERE branch = ? AND slot = ? AND "
                                            "location = ?"));
  q.Bind(branch, static_cast<std::int64_t>(slot), location);
  std::vector<FrontierEntry> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    WEFT_ASSIGN_OR_RETURN(FrontierEntry e, FrontierEntryFromRow(q));
    out.push_back(std::move(e));
  }
}

Result<std::vector<BranchInfo>> ListBranches(Db& db) {
  std::vector<BranchInfo> out;
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT DISTINCT name FROM branches UNION SELECT 'main' ORDER BY 1"));
  std::vector<std::string> names;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    names.push_back(q.Text(0));
  }
  WEFT_ASSIGN_OR_RETURN(Query a, db.Prepare("SELECT DISTINCT name FROM archived_branches"));
  std::set<std::string> archived;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, a.Step());
    if (!row) break;
    archived.insert(a.Text(0));
  }
  for (auto& name : names) {
    WEFT_ASSIGN_OR_RETURN(auto heads, BranchHeads(db, name));
    const bool is_archived = archived.contains(name);
    out.push_back(BranchInfo{std::move(name), std::move(heads), is_archived});
  }
  return out;
}

Result<bool> BranchExists(Db& db, const std::string& name) {
  if (name == kMainBranch) return true;
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT 1 FROM branches WHERE name = ? LIMIT 1"));
  q.Bind(name);
  return q.Step();
}

Result<std::optional<VectorClock>> LoadClock(Db& db, const ChangeHash& change) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT clock FROM clocks WHERE change = ?"));
  q.Bind(change.bytes());
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  if (!row) return std::optional<VectorClock>();
  WEFT_ASSIGN_OR_RETURN(VectorClock vc, VectorClock::Decode(q.Blob(0)));
  return std::optional<VectorClock>(std::move(vc));
}

Result<std::int64_t> CountFolded(Db& db) { return db.QueryInt("SELECT COUNT(*) FROM clocks"); }

Result<std::vector<ChangeHash>> ChangesNotBelow(Db& db, const std::vector<ChangeHash>& heads) {
  VectorClock below;
  for (const auto& h : heads) {
    WEFT_ASSIGN_OR_RETURN(auto clock, LoadClock(db, h));
    if (clock) below.Merge(*clock);  // heads we do not hold are ignored
  }
  // Per actor, only the changes above the clock: index seeks on (actor, seq), so
  // the cost follows the answer, not the size of the log.
  std::vector<std::pair<std::int64_t, ChangeHash>> found;  // (log position, hash)
  Bytes actor;
  while (true) {
    {
      WEFT_ASSIGN_OR_RETURN(
          Query next,
          db.Prepare("SELECT actor FROM changes WHERE actor > ? ORDER BY actor LIMIT 1"));
      next.Bind(actor);
      WEFT_ASSIGN_OR_RETURN(bool row, next.Step());
      if (!row) break;
      ByteView a = next.Blob(0);
      actor.assign(a.begin(), a.end());
    }
    WEFT_ASSIGN_OR_RETURN(ActorId id, ActorId::FromBytes(actor));
    WEFT_ASSIGN_OR_RETURN(Query q,
                          db.Prepare("SELECT id, hash FROM changes WHERE actor = ? AND seq > ?"));
    q.Bind(actor, below.Get(id));
    while (true) {
      WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
      if (!row) break;
      found.emplace_back(q.Int(0), ChangeHash::FromBytes(q.Blob(1)));
    }
  }
  std::sort(found.begin(), found.end());  // log order is a causal order
  std::vector<ChangeHash> out;
  out.reserve(found.size());
  for (auto& [rowid, h] : found) out.push_back(h);
  return out;
}

Result<std::vector<ItemHash>> DependenciesOf(Db& db, const ItemHash& item) {
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("SELECT depends_on FROM dependencies WHERE item = ? ORDER BY depends_on"));
  q.Bind(item.bytes());
  return CollectHashes<ItemHash>(q);
}

Result<std::vector<ItemHash>> DependentsOnBranch(Db& db, const ItemHash& item,
                                                 const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT d.item FROM dependencies d WHERE d.depends_on = ? AND EXISTS "
                          "(SELECT 1 FROM locations l WHERE l.item = d.item AND l.branch = ?) "
                          "ORDER BY d.item"));
  q.Bind(item.bytes(), branch);
  return CollectHashes<ItemHash>(q);
}

Result<std::vector<ChangeHash>> FrontierChanges(Db& db, const std::string& branch, Slot slot,
                                                const std::string& location) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare("SELECT DISTINCT change FROM frontier WHERE branch = ? "
                                            "AND slot = ? AND location = ? ORDER BY change"));
  q.Bind(branch, static_cast<int>(slot), location);
  return CollectHashes<ChangeHash>(q);
}

Result<std::vector<ItemHash>> DependentsOf(Db& db, const ItemHash& item) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db.Prepare("SELECT item FROM dependencies WHERE depends_on = ? ORDER BY item"));
  q.Bind(item.bytes());
  return CollectHashes<ItemHash>(q);
}

}  // namespace weft
