// Names as a person works with them: list, show an item, its dependencies and
// dependents, and stage an unbind, a rename, a deprecation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fold/queries.h"
#include "store/store.h"
#include "workspace/staged_view.h"

namespace weft::workspace {

// A row of `weft ls`: a committed binding, a staged change to one, or a name that
// only staged ops bind (its binding the staged item).
struct NameRow {
  Binding binding;
  std::optional<StagedEdit> staged;
};
// "new", "replaces" or "unbind".
std::string StagedLabel(const StagedEdit& e);
// The names under `prefix` with what is staged for them, in name order; for a
// page, only those after the name `after`: `limit` committed bindings (-1: all),
// and with them what ends on the page's last name (its type binding, names staged
// up to it), so that the next page, after that name, loses nothing.
Result<std::vector<NameRow>> NameRows(Store& store, const std::string& prefix,
                                      const std::string& after = "", int limit = -1);
// The modules of the current branch and how many names each binds directly.
struct ModuleCount {
  std::string module;  // a name without its last part
  std::int64_t names = 0;
};
Result<std::vector<ModuleCount>> Modules(Store& store);

struct ItemReport {
  ItemHash hash;
  ItemKind kind = ItemKind::kVal;
  std::vector<std::string> names;  // bound to it on the current branch
  std::vector<ItemHash> refs;
  std::string source;                  // printed with today's names
  std::vector<std::string> component;  // the other members of its recursive group
  std::optional<Binding> binding;      // when asked for by name (committed)
  // When asked for by name and staged ops change it: "staged: new", "staged:
  // replaces #3a3490b8" (the item shown is the staged one) or "staged: unbind".
  std::optional<std::string> staged;
};
// An item by name (bound on the current branch) or by hash prefix.
Result<ItemReport> ShowItem(Store& store, const std::string& what);

struct LinkedItem {
  ItemHash hash;
  std::vector<std::string> names;  // on the current branch
};
// What an item refers to (`dependents` false) or what on the current branch refers
// to it (`dependents` true).
Result<std::vector<LinkedItem>> ItemLinks(Store& store, const std::string& what, bool dependents);

// Staging, each in one transaction (fold/staging.h); each returns the ops staged.
Result<std::vector<Op>> StageUnbind(Store& store, const std::string& name);
Result<std::vector<Op>> StageRename(Store& store, const std::string& from, const std::string& to);
// The Deprecate op carries the replacement's location when one was given.
Result<std::vector<Op>> StageDeprecate(Store& store, const std::string& name,
                                       const std::string& reason, const std::string& replacement);
Result<std::vector<Op>> StageUndeprecate(Store& store, const std::string& name);

}  // namespace weft::workspace
