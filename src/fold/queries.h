// Read-only questions the CLI asks of the projections and the log.
//
// Every function reads; none writes. Results come in a deterministic order.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fold/frontier.h"
#include "fold/vector_clock.h"
#include "model/change.h"
#include "model/item.h"
#include "store/sqlite.h"

namespace weft {

struct Binding {
  std::string location;
  Namespace ns = Namespace::kTerm;
  ItemHash item;
  std::optional<ItemKind> kind;  // unknown when no change here added the item
  ChangeHash change;
  Hlc hlc;
  bool divergent = false;
  std::optional<std::string> deprecated_reason;
  std::optional<std::string> replacement;
};

// Bindings on `branch` whose location starts with `prefix`, by location then ns;
// only those after `after` (a location) and at most `limit` (-1: all), for paging.
Result<std::vector<Binding>> ListBindings(Db& db, const std::string& branch,
                                          const std::string& prefix, const std::string& after = "",
                                          int limit = -1);
// Every bound location on `branch` with its namespace, by location: the names
// alone, without what a Binding joins in.
Result<std::vector<std::pair<std::string, Namespace>>> ListLocations(Db& db,
                                                                     const std::string& branch);
// The modules of `branch` (a location without its last part) with how many
// names each binds directly, by module.
Result<std::vector<std::pair<std::string, std::int64_t>>> ModuleCounts(Db& db,
                                                                       const std::string& branch);
// The binding of `location` on `branch`: the term namespace first, then type.
Result<std::optional<Binding>> FindBinding(Db& db, const std::string& branch,
                                           const std::string& location,
                                           std::optional<Namespace> ns = std::nullopt);
// Names on `branch` bound to `item`.
Result<std::vector<std::string>> NamesOf(Db& db, const std::string& branch, const ItemHash& item);

// Resolves a short hash (>= 8 hex chars) to exactly one item. kNotFound when none,
// kInvalidArgument when ambiguous.
Result<ItemHash> ResolveItemPrefix(Db& db, const std::string& prefix);
// The same for a change of the log.
Result<ChangeHash> ResolveChangePrefix(Db& db, const std::string& prefix);

struct LogEntry {
  ChangeHash hash;
  Change change;
};
// The newest `limit` changes of the log (by hlc, then hash), newest first.
Result<std::vector<LogEntry>> RecentChanges(Db& db, int limit);
// The newest `limit` changes on `branch` (any when empty) by `instance` (any when
// empty), where an instance is known by the name its actors' changes carry here:
// `own_name` for this store's own actors, actor_names for the others.
Result<std::vector<LogEntry>> RecentChangesWhere(Db& db, int limit, const std::string& branch,
                                                 const std::string& instance,
                                                 const std::string& own_name);

// The changes of the log that edited `location` on `branch` (its term, type and
// deprecation slots), newest first; each change once.
Result<std::vector<LogEntry>> ChangesOfName(Db& db, const std::string& branch,
                                            const std::string& location);

// The newest change authored on this instance (any of its actors) on `branch`.
Result<std::optional<LogEntry>> LastOwnChange(Db& db, const std::string& branch);

// Reads (change, op_index, actor, seq, hlc, outcome) from the current row.
Result<FrontierEntry> FrontierEntryFromRow(Query& q);

// Every edit of one slot of `location` on `branch`, in no particular order.
Result<std::vector<FrontierEntry>> SlotHistory(Db& db, const std::string& branch, Slot slot,
                                               const std::string& location);

struct BranchInfo {
  std::string name;
  std::vector<ChangeHash> heads;
  bool archived = false;
};
// `main` and every branch some change created, by name.
Result<std::vector<BranchInfo>> ListBranches(Db& db);
Result<bool> BranchExists(Db& db, const std::string& name);
// The vector clock folded for `change` (nullopt when the change is not folded).
Result<std::optional<VectorClock>> LoadClock(Db& db, const ChangeHash& change);

// Number of changes folded into the projections (rows of `clocks`).
Result<std::int64_t> CountFolded(Db& db);

// The changes holding the maximal edits of one slot on `branch` (its frontier),
// sorted. Empty when the slot was never edited there.
Result<std::vector<ChangeHash>> FrontierChanges(Db& db, const std::string& branch, Slot slot,
                                                const std::string& location);
// Every stored change that is not an ancestor-or-self of one of `heads` (heads not
// held here are ignored), in causal order. Per actor, an index seek above the
// heads' merged clock: the cost follows the answer, not the size of the log.
Result<std::vector<ChangeHash>> ChangesNotBelow(Db& db, const std::vector<ChangeHash>& heads);
// The items `item` refers to, sorted.
Result<std::vector<ItemHash>> DependenciesOf(Db& db, const ItemHash& item);
// Items bound on `branch` that refer to `item`, sorted.
Result<std::vector<ItemHash>> DependentsOnBranch(Db& db, const ItemHash& item,
                                                 const std::string& branch);
// Items whose refs include `item` (from the dependencies projection), sorted.
Result<std::vector<ItemHash>> DependentsOf(Db& db, const ItemHash& item);

}  // namespace weft
