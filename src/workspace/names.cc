#include "workspace/names.h"

#include "model/names.h"
#include "store/blob_store.h"
#include "workspace/item_access.h"
#include "workspace/not_bound.h"
#include "workspace/staged_view.h"
#include "workspace/staging.h"

namespace weft::workspace {
namespace {

// The binding of `name` after the staged ops: a staged rename or new definition
// can be renamed or removed again before the commit.
Result<Binding> RequireBinding(Store& store, const std::string& name) {
  WEFT_TRY(ValidateLocation(name));
  WEFT_ASSIGN_OR_RETURN(auto edits, StagedEdits(store, {name}));
  for (const StagedEdit& e : edits) {
    if (!e.after) continue;
    Binding staged;
    staged.location = name;
    staged.ns = e.ns;
    staged.item = *e.after;
    staged.kind = e.after_kind;
    return staged;
  }
  WEFT_ASSIGN_OR_RETURN(auto b, FindBinding(store.db(), store.branch(), name));
  if (b && !edits.empty() && !edits.front().after && edits.front().ns == b->ns) b.reset();
  if (!b) return std::unexpected(NotBound(store, store.branch(), name));
  return *b;
}

// A name bound on the current branch, or a hash prefix.
Result<std::pair<ItemHash, std::optional<Binding>>> Resolve(Store& store, const std::string& what) {
  if (ValidateLocation(what)) {
    // A name staged to another item: that item, as `eval` would see it.
    WEFT_ASSIGN_OR_RETURN(auto edits, StagedEdits(store, {what}));
    for (const StagedEdit& e : edits) {
      if (e.after) return std::make_pair(*e.after, std::optional<Binding>());
    }
    WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, what));
    ItemHash h = b.item;
    return std::make_pair(h, std::optional<Binding>(std::move(b)));
  }
  WEFT_ASSIGN_OR_RETURN(ItemHash h, ResolveItemPrefix(store.db(), what));
  return std::make_pair(h, std::optional<Binding>());
}

}  // namespace

Result<std::vector<Binding>> ListNames(Store& store, const std::string& prefix) {
  return ListBindings(store.db(), store.branch(), prefix);
}

Result<ItemReport> ShowItem(Store& store, const std::string& what) {
  WEFT_ASSIGN_OR_RETURN(auto found, Resolve(store, what));
  ItemReport r;
  r.hash = found.first;
  r.binding = std::move(found.second);
  if (ValidateLocation(what)) {
    WEFT_ASSIGN_OR_RETURN(auto edits, StagedEdits(store, {what}));
    for (const StagedEdit& e : edits) {
      r.staged = e.after ? (e.before ? "staged: replaces #" + e.before->Short() : "staged: new")
                         : "staged: unbind";
    }
  }
  WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(store.db(), r.hash));
  if (!item) return Fail(ErrorCode::kNotFound, "item {} is not in this store", r.hash.Short());
  r.kind = item->kind;
  r.refs = item->refs;
  WEFT_ASSIGN_OR_RETURN(r.names, NamesOf(store.db(), store.branch(), r.hash));
  const std::string asked = r.binding ? r.binding->location : std::string();
  WEFT_ASSIGN_OR_RETURN(r.source, PrintStoredItem(store.db(), store.branch(), r.hash, asked));
  WEFT_ASSIGN_OR_RETURN(lang::DecodedComponent dc, DecodeStoredItem(store.db(), r.hash));
  WEFT_TRY(UseBoundNames(store.db(), store.branch(), dc, asked));
  for (std::size_t i = 0; i < dc.component.members.size(); ++i) {
    if (i != dc.self) r.component.push_back(dc.component.members[i].name);
  }
  return r;
}

Result<std::vector<LinkedItem>> ItemLinks(Store& store, const std::string& what, bool dependents) {
  WEFT_ASSIGN_OR_RETURN(auto found, Resolve(store, what));
  std::vector<ItemHash> items;
  if (dependents) {
    WEFT_ASSIGN_OR_RETURN(items, DependentsOnBranch(store.db(), found.first, store.branch()));
  } else {
    WEFT_ASSIGN_OR_RETURN(items, DependenciesOf(store.db(), found.first));
  }
  std::vector<LinkedItem> out;
  for (const auto& h : items) {
    WEFT_ASSIGN_OR_RETURN(auto names, NamesOf(store.db(), store.branch(), h));
    out.push_back(LinkedItem{h, std::move(names)});
  }
  return out;
}

Status StageUnbind(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, name));
  return StageAll(store, {Unname{b.ns, name}});
}

Status StageRename(Store& store, const std::string& from, const std::string& to) {
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, from));
  WEFT_TRY(ValidateLocation(to));
  WEFT_ASSIGN_OR_RETURN(auto taken, FindBinding(store.db(), store.branch(), to, b.ns));
  if (taken)
    return Fail(ErrorCode::kFailedPrecondition, "{} is already bound; remove it first", to);
  return StageAll(store, {Unname{b.ns, from}, SetName{b.ns, to, b.item}});
}

Result<std::optional<std::string>> StageDeprecate(Store& store, const std::string& name,
                                                  const std::string& reason,
                                                  const std::string& replacement) {
  if (reason.size() > 4096)
    return Fail(ErrorCode::kInvalidArgument, "a reason may be at most 4096 bytes");
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, name));
  std::optional<std::string> rep;
  if (!replacement.empty()) {
    WEFT_ASSIGN_OR_RETURN(Binding r, RequireBinding(store, replacement));
    rep = r.location;
  }
  WEFT_TRY(StageAll(store, {Deprecate{b.location, reason, rep}}));
  return rep;
}

Status StageUndeprecate(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, name));
  if (!b.deprecated_reason)
    return Fail(ErrorCode::kFailedPrecondition, "{} is not deprecated", name);
  return StageAll(store, {Undeprecate{name}});
}

}  // namespace weft::workspace
