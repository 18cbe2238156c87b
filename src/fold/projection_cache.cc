#include "fold/projection_cache.h"

#include <algorithm>

#include "fold/queries.h"

namespace weft {
namespace {

// The two tables of slot entries, with the statements on them. The SQL is
// constant, so the statement cache keys on it.
struct EntryTable {
  const char* select;
  const char* insert;
};
constexpr EntryTable kFrontierTable{
    "SELECT change, op_index, actor, seq, hlc, outcome FROM frontier WHERE branch = ? AND "
    "slot = ? AND location = ?",
    "INSERT INTO frontier(branch, slot, location, change, op_index, actor, seq, hlc, outcome) "
    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"};
constexpr EntryTable kHistoryTable{
    "SELECT change, op_index, actor, seq, hlc, outcome FROM slot_edits WHERE branch = ? AND "
    "slot = ? AND location = ?",
    "INSERT INTO slot_edits(branch, slot, location, change, op_index, actor, seq, hlc, outcome) "
    "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"};

// Appends every stored entry of `key` in `table`.
Status LoadEntries(Db& db, const EntryTable& table, const SlotKey& key,
                   std::vector<FrontierEntry>& out) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(table.select));
  q.Bind(key.branch, static_cast<std::uint8_t>(key.slot), key.location);
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return {};
    WEFT_ASSIGN_OR_RETURN(FrontierEntry e, FrontierEntryFromRow(q));
    out.push_back(std::move(e));
  }
}

Status InsertEntry(Db& db, const EntryTable& table, const SlotKey& key, const FrontierEntry& e) {
  WEFT_ASSIGN_OR_RETURN(Query q, db.Prepare(table.insert));
  return q
      .Bind(key.branch, static_cast<std::uint8_t>(key.slot), key.location, e.change.bytes(),
            e.op_index, e.actor.bytes(), e.seq, e.hlc.packed(), e.outcome)
      .Run();
}

}  // namespace

Result<const VectorClock*> ProjectionCache::Clock(const ChangeHash& change) {
  if (auto it = clocks_.find(change); it != clocks_.end()) return &it->second;
  if (!empty_) {
    WEFT_ASSIGN_OR_RETURN(auto stored, LoadClock(db_, change));
    if (stored) return &clocks_.emplace(change, std::move(*stored)).first->second;
  }
  return Fail(ErrorCode::kCorruption, "no clock for change {}: run `weft rebuild`", change.Short());
}

void ProjectionCache::SetClock(const ChangeHash& change, VectorClock clock) {
  clocks_[change] = std::move(clock);
  new_clocks_.push_back(change);
}

Result<const ChangeMeta*> ProjectionCache::Meta(const ChangeHash& change) {
  if (auto it = metas_.find(change); it != metas_.end()) return &it->second;
  WEFT_ASSIGN_OR_RETURN(auto meta, LoadChangeMeta(db_, change));
  if (!meta)
    return Fail(ErrorCode::kCorruption, "change {} is referenced but missing", change.Short());
  return &metas_.emplace(change, std::move(*meta)).first->second;
}

void ProjectionCache::SetMeta(const ChangeHash& change, ChangeMeta meta) {
  metas_[change] = std::move(meta);
}

Result<const std::vector<ChangeHash>*> ProjectionCache::BaseOf(const ChangeHash& change, Slot slot,
                                                               const std::string& location) {
  // Asked for every comparison of two edits, and almost always there are none.
  if (!empty_ && !any_stored_bases_) {
    WEFT_ASSIGN_OR_RETURN(std::int64_t any,
                          db_.QueryInt("SELECT EXISTS(SELECT 1 FROM edit_bases)"));
    any_stored_bases_ = any != 0;
  }
  const bool stored = !empty_ && *any_stored_bases_;
  if (bases_.empty() && !stored) return nullptr;
  BaseKey key{change, slot, location};
  if (auto it = bases_.find(key); it != bases_.end()) return it->second ? &*it->second : nullptr;
  if (!stored) return nullptr;
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db_.Prepare("SELECT base FROM edit_bases WHERE change = ? AND slot = ? AND location = ?"));
  q.Bind(change.bytes(), static_cast<std::uint8_t>(slot), location);
  WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
  std::optional<std::vector<ChangeHash>> found;
  if (row) {
    Reader r(q.Blob(0));
    WEFT_ASSIGN_OR_RETURN(std::vector<Digest> list, r.GetDigestList());
    found.emplace();
    for (const Digest& d : list) found->emplace_back(d);
  }
  auto& entry = bases_[key];
  entry = std::move(found);
  return entry ? &*entry : nullptr;
}

void ProjectionCache::SetBase(const ChangeHash& change, Slot slot, const std::string& location,
                              std::vector<ChangeHash> frontier) {
  BaseKey key{change, slot, location};
  bases_[key] = std::move(frontier);
  new_bases_.push_back(std::move(key));
}

Result<std::vector<FrontierEntry>*> ProjectionCache::Frontier(const SlotKey& key) {
  auto [it, inserted] = frontier_.try_emplace(key);
  dirty_frontier_.insert(key);
  if (!inserted || empty_) return &it->second;
  WEFT_TRY(LoadEntries(db_, kFrontierTable, key, it->second));
  if (HasDistinctOutcomes(it->second)) stored_open_.insert(key);
  return &it->second;
}

Result<std::vector<FrontierEntry>*> ProjectionCache::History(const SlotKey& key) {
  SlotHistory& h = history_[key];
  if (!h.loaded && !empty_) WEFT_TRY(LoadEntries(db_, kHistoryTable, key, h.entries));
  h.loaded = true;
  return &h.entries;
}

void ProjectionCache::AddHistory(const SlotKey& key, const FrontierEntry& e) {
  history_[key].entries.push_back(e);
  new_history_.emplace_back(key, e);
}

Result<std::vector<ConflictRecord>*> ProjectionCache::Settled(const SlotKey& key) {
  SlotSettled& s = settled_[key];
  dirty_settled_.insert(key);
  if (s.loaded || empty_) {
    s.loaded = true;
    return &s.records;
  }
  s.loaded = true;
  WEFT_ASSIGN_OR_RETURN(
      Query q, db_.Prepare("SELECT id, candidates, resolver, resolver_hlc, resolution, "
                           "merged_branch, winner FROM conflicts WHERE branch = ? AND slot = ? "
                           "AND location = ? AND resolver IS NOT NULL"));
  q.Bind(key.branch, static_cast<std::uint8_t>(key.slot), key.location);
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    ConflictRecord r;
    r.id = ConflictId::FromBytes(q.Blob(0));
    WEFT_ASSIGN_OR_RETURN(r.candidates, DecodeCandidates(q.Blob(1)));
    WEFT_ASSIGN_OR_RETURN(ConflictResolution resolution,
                          ResolutionFromColumns(q.Int(4), q.Text(5)));
    r.resolver = ConflictResolver{ChangeHash::FromBytes(q.Blob(2)),
                                  Hlc(static_cast<std::uint64_t>(q.Int(3))), std::move(resolution),
                                  ChangeHash::FromBytes(q.Blob(6))};
    s.records.push_back(std::move(r));
  }
  return &s.records;
}

void ProjectionCache::NoteArchived(const std::string& branch, const ChangeHash& by) {
  new_archived_.emplace(branch, by);
}

Result<std::vector<ChangeHash>*> ProjectionCache::BranchHeads(const std::string& branch) {
  auto [it, inserted] = branch_heads_.try_emplace(branch);
  dirty_branch_heads_.insert(branch);
  if (!inserted || empty_) return &it->second;
  WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("SELECT change FROM branch_heads WHERE branch = ?"));
  q.Bind(branch);
  WEFT_ASSIGN_OR_RETURN(it->second, CollectHashes<ChangeHash>(q));
  return &it->second;
}

Result<std::vector<ChangeHash>*> ProjectionCache::Heads() {
  heads_dirty_ = true;
  if (heads_loaded_ || empty_) {
    heads_loaded_ = true;
    return &heads_;
  }
  WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("SELECT change FROM heads"));
  WEFT_ASSIGN_OR_RETURN(heads_, CollectHashes<ChangeHash>(q));
  heads_loaded_ = true;
  return &heads_;
}

Status ProjectionCache::LoadForks() {
  if (forks_loaded_) return {};
  forks_loaded_ = true;
  if (empty_) return {};
  WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("SELECT name, parent, fork FROM branches"));
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return {};
    forks_[q.Text(0)].push_back(Fork{q.Text(1), ChangeHash::FromBytes(q.Blob(2))});
  }
}

Result<std::vector<Fork>> ProjectionCache::Forks(const std::string& branch) {
  WEFT_TRY(LoadForks());
  auto it = forks_.find(branch);
  return it == forks_.end() ? std::vector<Fork>() : it->second;
}

Result<std::vector<std::string>> ProjectionCache::MergersOf(const std::string& source) {
  WEFT_TRY(LoadForks());
  std::vector<std::string> out;
  for (const auto& [branch, forks] : forks_) {
    for (const Fork& f : forks) {
      if (f.parent != source) continue;
      WEFT_ASSIGN_OR_RETURN(const ChangeMeta* meta, Meta(f.change));
      if (meta->branch == branch) {
        out.push_back(branch);
        break;
      }
    }
  }
  return out;
}

Result<std::map<std::string, std::vector<Fork>>> ProjectionCache::AllForks() {
  WEFT_TRY(LoadForks());
  return forks_;
}

Status ProjectionCache::AddFork(const std::string& branch, const Fork& fork) {
  WEFT_TRY(LoadForks());
  auto& list = forks_[branch];
  for (const Fork& f : list) {
    if (f.change == fork.change) return {};
  }
  list.push_back(fork);
  new_forks_.emplace_back(branch, fork);
  return {};
}

Status ProjectionCache::NoteItem(const ItemHash& item, ItemKind kind, const ChangeHash& by,
                                 Hlc hlc) {
  auto [it, inserted] = items_.try_emplace(item);
  if (inserted && !empty_) {
    WEFT_ASSIGN_OR_RETURN(Query q,
                          db_.Prepare("SELECT kind, added_by, hlc FROM items WHERE hash = ?"));
    q.Bind(item.bytes());
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (row) {
      WEFT_ASSIGN_OR_RETURN(ItemKind k, ItemKindFromByte(static_cast<std::uint8_t>(q.Int(0))));
      it->second =
          ItemRow{k, ChangeHash::FromBytes(q.Blob(1)), Hlc(static_cast<std::uint64_t>(q.Int(2)))};
    }
  }
  auto& row = it->second;
  if (!row || std::tie(hlc, by) < std::tie(row->hlc, row->added_by)) {
    row = ItemRow{kind, by, hlc};
    dirty_items_.insert(item);
  }
  return {};
}

void ProjectionCache::AddDependency(const ItemHash& item, const ItemHash& depends_on) {
  new_dependencies_.emplace(item, depends_on);
}

Status ProjectionCache::FlushFrontier(const SlotKey& key,
                                      const std::vector<FrontierEntry>& entries) {
  const auto slot = static_cast<std::uint8_t>(key.slot);
  if (!empty_) {
    WEFT_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare("DELETE FROM frontier WHERE branch = ? AND slot = ? AND location = ?"));
    WEFT_TRY(q.Bind(key.branch, slot, key.location).Run());
  }
  for (const auto& e : entries) WEFT_TRY(InsertEntry(db_, kFrontierTable, key, e));
  WEFT_TRY(FlushOpenConflict(key, entries));
  // Derive the visible row from the frontier's winner.
  std::optional<DecodedOutcome> won;
  const FrontierEntry* winner = nullptr;
  if (!entries.empty()) {
    winner = &Winner(entries);
    WEFT_ASSIGN_OR_RETURN(won, DecodeOutcome(winner->outcome));
  }
  const int divergent = HasDistinctOutcomes(entries) ? 1 : 0;
  if (key.slot == Slot::kDeprecation) {
    if (won && won->kind == DecodedOutcome::Kind::kDeprecated) {
      WEFT_ASSIGN_OR_RETURN(
          Query q, db_.Prepare("INSERT OR REPLACE INTO deprecations(branch, location, reason, "
                               "replacement, change, hlc, divergent) VALUES(?, ?, ?, ?, ?, ?, ?)"));
      if (won->replacement) {
        q.Bind(key.branch, key.location, won->reason, *won->replacement, winner->change.bytes(),
               winner->hlc.packed(), divergent);
      } else {
        q.Bind(key.branch, key.location, won->reason, std::nullopt, winner->change.bytes(),
               winner->hlc.packed(), divergent);
      }
      return q.Run();
    }
    if (empty_) return {};
    WEFT_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("DELETE FROM deprecations WHERE branch = ? AND location = ?"));
    return q.Bind(key.branch, key.location).Run();
  }
  if (won && won->kind == DecodedOutcome::Kind::kBound) {
    WEFT_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT OR REPLACE INTO locations(branch, ns, location, item, change, "
                             "hlc, divergent) VALUES(?, ?, ?, ?, ?, ?, ?)"));
    return q
        .Bind(key.branch, slot, key.location, won->item.bytes(), winner->change.bytes(),
              winner->hlc.packed(), divergent)
        .Run();
  }
  if (empty_) return {};
  WEFT_ASSIGN_OR_RETURN(
      Query q, db_.Prepare("DELETE FROM locations WHERE branch = ? AND ns = ? AND location = ?"));
  return q.Bind(key.branch, slot, key.location).Run();
}

Status ProjectionCache::InsertConflict(const SlotKey& key, const ConflictRecord& r) {
  WEFT_ASSIGN_OR_RETURN(
      Query q, db_.Prepare("INSERT INTO conflicts(id, branch, slot, location, candidates, winner, "
                           "resolution, merged_branch, state, resolver, resolver_hlc) "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  const Bytes candidates = EncodeCandidates(r.candidates);
  const auto slot = static_cast<std::uint8_t>(key.slot);
  const ConflictResolution resolution = r.Resolution();
  const auto kind = static_cast<std::uint8_t>(resolution.kind);
  const auto state = static_cast<std::uint8_t>(r.State());
  if (r.resolver) {
    q.Bind(r.id.bytes(), key.branch, slot, key.location, candidates, r.WinnerChange().bytes(), kind,
           resolution.merged, state, r.resolver->change.bytes(), r.resolver->hlc.packed());
  } else {
    q.Bind(r.id.bytes(), key.branch, slot, key.location, candidates, r.WinnerChange().bytes(), kind,
           resolution.merged, state, std::nullopt, std::nullopt);
  }
  return q.Run();
}

Status ProjectionCache::FlushOpenConflict(const SlotKey& key,
                                          const std::vector<FrontierEntry>& entries) {
  if (stored_open_.erase(key) > 0) {
    WEFT_ASSIGN_OR_RETURN(Query q,
                          db_.Prepare("DELETE FROM conflicts WHERE branch = ? AND slot = ? AND "
                                      "location = ? AND resolver IS NULL"));
    WEFT_TRY(q.Bind(key.branch, static_cast<std::uint8_t>(key.slot), key.location).Run());
  }
  if (!HasDistinctOutcomes(entries)) return {};
  stored_open_.insert(key);
  return InsertConflict(key, OpenRecord(key, entries));
}

Status ProjectionCache::FlushSettled(const SlotKey& key,
                                     const std::vector<ConflictRecord>& records) {
  if (!empty_) {
    WEFT_ASSIGN_OR_RETURN(Query q,
                          db_.Prepare("DELETE FROM conflicts WHERE branch = ? AND slot = ? AND "
                                      "location = ? AND resolver IS NOT NULL"));
    WEFT_TRY(q.Bind(key.branch, static_cast<std::uint8_t>(key.slot), key.location).Run());
  }
  for (const ConflictRecord& r : records) WEFT_TRY(InsertConflict(key, r));
  return {};
}

Status ProjectionCache::FlushHistory() {
  std::sort(new_history_.begin(), new_history_.end(), [](const auto& a, const auto& b) {
    return std::tie(a.first, a.second.change, a.second.op_index) <
           std::tie(b.first, b.second.change, b.second.op_index);
  });
  for (const auto& [key, e] : new_history_) WEFT_TRY(InsertEntry(db_, kHistoryTable, key, e));
  new_history_.clear();
  for (const auto& [branch, by] : new_archived_) {
    WEFT_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT OR IGNORE INTO archived_branches(name, change) VALUES(?, ?)"));
    WEFT_TRY(q.Bind(branch, by.bytes()).Run());
  }
  new_archived_.clear();
  return {};
}

Status ProjectionCache::Flush() {
  // Inserting in key order keeps B-tree writes local.
  std::sort(new_clocks_.begin(), new_clocks_.end());
  for (const ChangeHash& c : new_clocks_) {
    WEFT_ASSIGN_OR_RETURN(Query q,
                          db_.Prepare("INSERT OR REPLACE INTO clocks(change, clock) VALUES(?, ?)"));
    WEFT_TRY(q.Bind(c.bytes(), clocks_.at(c).Encode()).Run());
  }
  new_clocks_.clear();
  if (heads_dirty_) {
    WEFT_TRY(db_.Exec("DELETE FROM heads"));
    for (const ChangeHash& h : heads_) {
      WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("INSERT INTO heads(change) VALUES(?)"));
      WEFT_TRY(q.Bind(h.bytes()).Run());
    }
    heads_dirty_ = false;
  }
  for (const std::string& b : dirty_branch_heads_) {
    if (!empty_) {
      WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("DELETE FROM branch_heads WHERE branch = ?"));
      WEFT_TRY(q.Bind(b).Run());
    }
    for (const ChangeHash& h : branch_heads_.at(b)) {
      WEFT_ASSIGN_OR_RETURN(Query q,
                            db_.Prepare("INSERT INTO branch_heads(branch, change) VALUES(?, ?)"));
      WEFT_TRY(q.Bind(b, h.bytes()).Run());
    }
  }
  dirty_branch_heads_.clear();
  for (const auto& [name, fork] : new_forks_) {
    WEFT_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT OR IGNORE INTO branches(name, parent, fork) VALUES(?, ?, ?)"));
    WEFT_TRY(q.Bind(name, fork.parent, fork.change.bytes()).Run());
  }
  new_forks_.clear();
  for (const BaseKey& key : new_bases_) {
    Writer w;
    w.PutVarint(bases_.at(key)->size());
    for (const ChangeHash& h : *bases_.at(key)) w.PutDigest(h.digest());
    WEFT_ASSIGN_OR_RETURN(Query q, db_.Prepare("INSERT OR REPLACE INTO edit_bases(change, slot, "
                                               "location, base) VALUES(?, ?, ?, ?)"));
    const auto& [change, slot, location] = key;
    WEFT_TRY(q.Bind(change.bytes(), static_cast<std::uint8_t>(slot), location, w.bytes()).Run());
  }
  new_bases_.clear();
  for (const SlotKey& key : dirty_frontier_) WEFT_TRY(FlushFrontier(key, frontier_.at(key)));
  dirty_frontier_.clear();
  for (const SlotKey& key : dirty_settled_) WEFT_TRY(FlushSettled(key, settled_.at(key).records));
  dirty_settled_.clear();
  WEFT_TRY(FlushHistory());
  for (const ItemHash& item : dirty_items_) {
    const auto& row = *items_.at(item);
    WEFT_ASSIGN_OR_RETURN(
        Query q,
        db_.Prepare("INSERT OR REPLACE INTO items(hash, kind, added_by, hlc) VALUES(?, ?, ?, ?)"));
    WEFT_TRY(q.Bind(item.bytes(), static_cast<std::uint8_t>(row.kind), row.added_by.bytes(),
                    row.hlc.packed())
                 .Run());
  }
  dirty_items_.clear();
  for (const auto& [item, on] : new_dependencies_) {
    WEFT_ASSIGN_OR_RETURN(
        Query q, db_.Prepare("INSERT OR IGNORE INTO dependencies(item, depends_on) VALUES(?, ?)"));
    WEFT_TRY(q.Bind(item.bytes(), on.bytes()).Run());
  }
  new_dependencies_.clear();
  return {};
}

}  // namespace weft
