// ProjectionCache: a write-back cache over the projection tables, owned by one fold
// pass (one transaction).
//
// The fold reads and edits projection state only through this cache, and Flush()
// writes every dirty entry back. The same code therefore serves an incremental
// append (misses read SQLite) and a full rebuild (constructed with `empty`, so
// misses are known to be absent and nothing is read back). Locations and
// deprecations are not cached: they are derived from the frontier at Flush().
//
// REQUIRES: the cache lives inside the transaction whose writes it flushes, and no
// one else writes the projection tables meanwhile.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "fold/conflict_record.h"
#include "fold/frontier.h"
#include "fold/vector_clock.h"
#include "model/item.h"
#include "store/change_log.h"
#include "store/sqlite.h"

namespace weft {

struct Fork {
  std::string parent;
  ChangeHash change;  // the change holding the CreateBranch op
};

class ProjectionCache {
 public:
  ProjectionCache(Db& db, bool empty) : db_(db), empty_(empty) {}

  Result<const VectorClock*> Clock(const ChangeHash& change);
  void SetClock(const ChangeHash& change, VectorClock clock);
  Result<const ChangeMeta*> Meta(const ChangeHash& change);
  void SetMeta(const ChangeHash& change, ChangeMeta meta);
  // The Base that change `change` gives (slot, location), if any (model/op.h).
  Result<const std::vector<ChangeHash>*> BaseOf(const ChangeHash& change, Slot slot,
                                                const std::string& location);
  void SetBase(const ChangeHash& change, Slot slot, const std::string& location,
               std::vector<ChangeHash> frontier);

  // The frontier of one slot; the caller may edit it (it is marked dirty).
  Result<std::vector<FrontierEntry>*> Frontier(const SlotKey& key);
  // Every edit of the slot in the view, the frontier's included (the frontier is
  // its maximal part). Loaded on first use.
  Result<std::vector<FrontierEntry>*> History(const SlotKey& key);
  // Records an edit new to the slot's history.
  void AddHistory(const SlotKey& key, const FrontierEntry& e);
  // The slot's settled races (records with a resolver); editable, marked dirty.
  Result<std::vector<ConflictRecord>*> Settled(const SlotKey& key);
  // Slots whose settled races must be re-derived from the whole history before
  // Flush (an edit arrived that is older than one already folded).
  void MarkUnsettled(const SlotKey& key) { unsettled_.insert(key); }
  std::set<SlotKey> TakeUnsettled() { return std::exchange(unsettled_, {}); }
  // Records that change `by` archives `branch`.
  void NoteArchived(const std::string& branch, const ChangeHash& by);

  // Heads of one branch's view; editable, marked dirty.
  Result<std::vector<ChangeHash>*> BranchHeads(const std::string& branch);
  // Heads of the whole log; editable, marked dirty.
  Result<std::vector<ChangeHash>*> Heads();
  Result<std::vector<Fork>> Forks(const std::string& branch);
  Status AddFork(const std::string& branch, const Fork& fork);
  // Branches that merged `source` (a fork whose change is on the importing branch).
  Result<std::vector<std::string>> MergersOf(const std::string& source);
  // Every branch that has a fork, with its forks.
  Result<std::map<std::string, std::vector<Fork>>> AllForks();

  // What the fold needs of an item verified on arrival in this transaction
  // (Ledger::Append), so it is neither read back nor decoded again.
  struct KnownItemInfo {
    ItemKind kind;
    std::vector<ItemHash> refs;
  };
  void KnowItem(const ItemHash& item, ItemKind kind, std::vector<ItemHash> refs) {
    known_items_.insert_or_assign(item, KnownItemInfo{kind, std::move(refs)});
  }
  const KnownItemInfo* KnownItem(const ItemHash& item) const {
    auto it = known_items_.find(item);
    return it == known_items_.end() ? nullptr : &it->second;
  }
  // Records that `by` adds `item`; the projection keeps the least (hlc, change).
  Status NoteItem(const ItemHash& item, ItemKind kind, const ChangeHash& by, Hlc hlc);
  void AddDependency(const ItemHash& item, const ItemHash& depends_on);

  Status Flush();

 private:
  struct ItemRow {
    ItemKind kind;
    ChangeHash added_by;
    Hlc hlc;
  };
  struct SlotHistory {
    bool loaded = false;
    std::vector<FrontierEntry> entries;
  };
  struct SlotSettled {
    bool loaded = false;
    std::vector<ConflictRecord> records;
  };
  Status LoadForks();
  Status FlushFrontier(const SlotKey& key, const std::vector<FrontierEntry>& entries);
  Status FlushOpenConflict(const SlotKey& key, const std::vector<FrontierEntry>& entries);
  Status InsertConflict(const SlotKey& key, const ConflictRecord& r);
  Status FlushSettled(const SlotKey& key, const std::vector<ConflictRecord>& records);
  Status FlushHistory();

  Db& db_;
  bool empty_;
  std::unordered_map<ChangeHash, VectorClock, ChangeHashHasher> clocks_;
  std::vector<ChangeHash> new_clocks_;
  std::unordered_map<ChangeHash, ChangeMeta, ChangeHashHasher> metas_;
  // Bases by (change, slot, location); nullopt caches a miss. `any_stored_bases_`
  // is read once, so a store without bases never queries per change.
  using BaseKey = std::tuple<ChangeHash, Slot, std::string>;
  std::map<BaseKey, std::optional<std::vector<ChangeHash>>> bases_;
  std::vector<BaseKey> new_bases_;
  std::optional<bool> any_stored_bases_;
  std::map<SlotKey, std::vector<FrontierEntry>> frontier_;
  std::set<SlotKey> dirty_frontier_;
  // Slots whose stored frontier was divergent, so an open record may be stored.
  std::set<SlotKey> stored_open_;
  std::map<SlotKey, SlotHistory> history_;
  std::vector<std::pair<SlotKey, FrontierEntry>> new_history_;
  std::map<SlotKey, SlotSettled> settled_;
  std::set<SlotKey> dirty_settled_;
  std::set<SlotKey> unsettled_;
  std::set<std::pair<std::string, ChangeHash>> new_archived_;
  std::map<std::string, std::vector<ChangeHash>> branch_heads_;
  std::set<std::string> dirty_branch_heads_;
  std::vector<ChangeHash> heads_;
  bool heads_loaded_ = false;
  bool heads_dirty_ = false;
  std::map<std::string, std::vector<Fork>> forks_;
  bool forks_loaded_ = false;
  std::vector<std::pair<std::string, Fork>> new_forks_;
  std::unordered_map<ItemHash, std::optional<ItemRow>, ItemHashHasher> items_;
  std::set<ItemHash> dirty_items_;
  std::unordered_map<ItemHash, KnownItemInfo, ItemHashHasher> known_items_;
  std::set<std::pair<ItemHash, ItemHash>> new_dependencies_;
};

}  // namespace weft
