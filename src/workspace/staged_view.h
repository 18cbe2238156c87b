// Staged work made visible: what the ops staged on the current branch do to its
// names (`weft diff`, `weft ls`, `weft show`, `weft status -v`), before a commit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/item_kind.h"
#include "model/names.h"
#include "model/op.h"
#include "store/store.h"

namespace weft::workspace {

// The net effect of the staged ops on one name.
struct StagedEdit {
  Namespace ns = Namespace::kTerm;
  std::string location;
  std::optional<ItemHash> before;  // committed; nullopt: not bound
  std::optional<ItemHash> after;   // after the staged ops; nullopt: unbound
  bool repointed = false;          // only by propagation (a dependent re-pointed)
  std::optional<ItemKind> after_kind;
};

// The staged ops of the current branch, in order.
Result<std::vector<Op>> StagedOps(Store& store);
// Each name the staged ops change, by location then namespace; a name staged back
// to what is committed is left out. `only`: just these locations (empty: all).
Result<std::vector<StagedEdit>> StagedEdits(Store& store,
                                            const std::vector<std::string>& only = {});

// One name's change as `weft diff` shows it: both sources and their line diff.
struct NameDiff {
  StagedEdit edit;
  std::string before_source;       // empty when not bound before
  std::string after_source;        // empty when unbound
  std::vector<std::string> lines;  // "  same", "- removed", "+ added"
};
Result<std::vector<NameDiff>> DiffStaged(Store& store, const std::vector<std::string>& only = {});

}  // namespace weft::workspace
