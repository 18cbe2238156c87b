#include "workspace/names.h"

#include <algorithm>

#include "model/names.h"
#include "store/blob_store.h"
#include "workspace/item_access.h"
#include "workspace/not_bound.h"
#include "workspace/staged_view.h"
#include "workspace/staging.h"

namespace weft::workspace {

std::string StagedLabel(const StagedEdit& e) {
  if (!e.after) return "unbind";
  return e.before ? "replaces" : "new";
}

Result<std::vector<ModuleCount>> Modules(Store& store) {
  WEFT_ASSIGN_OR_RETURN(auto counts, ModuleCounts(store.db(), store.branch()));
  std::vector<ModuleCount> out;
  for (auto& [module, n] : counts) out.push_back(ModuleCount{std::move(module), n});
  return out;
}

Result<std::vector<NameRow>> NameRows(Store& store, const std::string& prefix,
                                      const std::string& after, int limit) {
  WEFT_ASSIGN_OR_RETURN(auto committed,
                        ListBindings(store.db(), store.branch(), prefix, after, limit));
  // A full page ends at its last name, whole: the next page starts after it, so a
  // type bound at the same location as the page's last term comes on this one;
  // staged names past it belong to a later page.
  const bool full = limit >= 0 && committed.size() == static_cast<std::size_t>(limit);
  const std::string last = full && !committed.empty() ? committed.back().location : "";
  if (full && !committed.empty() && committed.back().ns == Namespace::kTerm) {
    WEFT_ASSIGN_OR_RETURN(auto type,
                          FindBinding(store.db(), store.branch(), last, Namespace::kType));
    if (type) committed.push_back(std::move(*type));
  }
  WEFT_ASSIGN_OR_RETURN(auto edits, StagedEdits(store));
  std::vector<NameRow> rows;
  for (auto& b : committed) rows.push_back(NameRow{std::move(b), std::nullopt});
  for (auto& e : edits) {
    if (!e.location.starts_with(prefix) || e.location <= after) continue;
    if (full && e.location > last) continue;
    auto it = std::find_if(rows.begin(), rows.end(), [&](const NameRow& r) {
      return r.binding.location == e.location && r.binding.ns == e.ns;
    });
    if (it != rows.end()) {
      it->staged = e;
      continue;
    }
    Binding b;
    b.location = e.location;
    b.ns = e.ns;
    b.item = *e.after;  // not committed, so staged as new: bound after the ops
    b.kind = e.after_kind;
    rows.push_back(NameRow{std::move(b), e});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const NameRow& x, const NameRow& y) {
    return x.binding.location < y.binding.location;
  });
  return rows;
}
namespace {

// A name as committed, and what the staged ops do to it (read once per command).
struct NameState {
  std::optional<Binding> committed;
  std::optional<StagedEdit> staged;
};

Result<NameState> StateOf(Store& store, const std::string& name) {
  WEFT_TRY(ValidateLocation(name));
  NameState out;
  WEFT_ASSIGN_OR_RETURN(out.committed, FindBinding(store.db(), store.branch(), name));
  WEFT_ASSIGN_OR_RETURN(auto edits, StagedEdits(store, {name}));
  for (StagedEdit& e : edits) {
    // The edit of the committed binding's namespace, else one that binds the name.
    if (out.committed ? e.ns == out.committed->ns : e.after.has_value()) {
      out.staged = std::move(e);
      break;
    }
  }
  return out;
}

// The binding of `name` after the staged ops: a staged rename or new definition
// can be renamed or removed again before the commit; a staged unbind is gone.
Result<Binding> RequireBinding(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(NameState state, StateOf(store, name));
  if (state.staged && state.staged->after) {
    Binding staged;
    staged.location = name;
    staged.ns = state.staged->ns;
    staged.item = *state.staged->after;
    staged.kind = state.staged->after_kind;
    return staged;
  }
  if (state.staged || !state.committed)
    return std::unexpected(NotBound(store, store.branch(), name));
  return *state.committed;
}

struct Resolved {
  ItemHash hash;
  std::optional<Binding> binding;     // committed, when the item shown is the committed one
  std::optional<std::string> staged;  // ItemReport::staged
};

// A name (the staged item if staged ops re-bind it, the committed one with a note
// if they unbind it), or a hash prefix.
Result<Resolved> Resolve(Store& store, const std::string& what) {
  if (!ValidateLocation(what)) {
    WEFT_ASSIGN_OR_RETURN(ItemHash h, ResolveItemPrefix(store.db(), what));
    return Resolved{h, std::nullopt, std::nullopt};
  }
  WEFT_ASSIGN_OR_RETURN(NameState state, StateOf(store, what));
  if (state.staged && state.staged->after) {
    const auto& e = *state.staged;
    return Resolved{*e.after, std::nullopt,
                    e.before ? "staged: replaces #" + e.before->Short() : "staged: new"};
  }
  if (!state.committed) return std::unexpected(NotBound(store, store.branch(), what));
  const ItemHash h = state.committed->item;
  return Resolved{h, std::move(state.committed),
                  state.staged ? std::optional<std::string>("staged: unbind") : std::nullopt};
}

}  // namespace

Result<ItemReport> ShowItem(Store& store, const std::string& what) {
  WEFT_ASSIGN_OR_RETURN(Resolved found, Resolve(store, what));
  ItemReport r;
  r.hash = found.hash;
  r.binding = std::move(found.binding);
  r.staged = std::move(found.staged);
  WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(store.db(), r.hash));
  if (!item) return Fail(ErrorCode::kNotFound, "item {} is not in this store", r.hash.Short());
  r.kind = item->kind;
  r.refs = item->refs;
  WEFT_ASSIGN_OR_RETURN(r.names, NamesOf(store.db(), store.branch(), r.hash));
  // A staged name has no committed binding but is still the name asked for.
  const std::string asked =
      r.binding ? r.binding->location : (ValidateLocation(what) ? what : std::string());
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
    WEFT_ASSIGN_OR_RETURN(items, DependentsOnBranch(store.db(), found.hash, store.branch()));
  } else {
    WEFT_ASSIGN_OR_RETURN(items, DependenciesOf(store.db(), found.hash));
  }
  std::vector<LinkedItem> out;
  for (const auto& h : items) {
    WEFT_ASSIGN_OR_RETURN(auto names, NamesOf(store.db(), store.branch(), h));
    out.push_back(LinkedItem{h, std::move(names)});
  }
  return out;
}

Result<std::vector<Op>> StageUnbind(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, name));
  return StageAll(store, {Unname{b.ns, name}});
}

Result<std::vector<Op>> StageRename(Store& store, const std::string& from, const std::string& to) {
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, from));
  WEFT_TRY(ValidateLocation(to));
  WEFT_ASSIGN_OR_RETURN(auto taken, FindBinding(store.db(), store.branch(), to, b.ns));
  if (taken)
    return Fail(ErrorCode::kFailedPrecondition, "{} is already bound; remove it first", to);
  return StageAll(store, {Unname{b.ns, from}, SetName{b.ns, to, b.item}});
}

Result<std::vector<Op>> StageDeprecate(Store& store, const std::string& name,
                                       const std::string& reason, const std::string& replacement) {
  if (reason.size() > 4096)
    return Fail(ErrorCode::kInvalidArgument, "a reason may be at most 4096 bytes");
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, name));
  std::optional<std::string> rep;
  if (!replacement.empty()) {
    WEFT_ASSIGN_OR_RETURN(Binding r, RequireBinding(store, replacement));
    rep = r.location;
  }
  return StageAll(store, {Deprecate{b.location, reason, rep}});
}

Result<std::vector<Op>> StageUndeprecate(Store& store, const std::string& name) {
  WEFT_ASSIGN_OR_RETURN(Binding b, RequireBinding(store, name));
  if (!b.deprecated_reason)
    return Fail(ErrorCode::kFailedPrecondition, "{} is not deprecated", name);
  return StageAll(store, {Undeprecate{name}});
}

}  // namespace weft::workspace
