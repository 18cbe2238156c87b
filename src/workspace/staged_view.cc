#include "workspace/staged_view.h"

#include <algorithm>
#include <map>

#include "fold/queries.h"
#include "store/blob_store.h"
#include "store/wip.h"
#include "workspace/item_access.h"
#include "workspace/line_diff.h"

namespace weft::workspace {

Result<std::vector<Op>> StagedOps(Store& store) { return LoadStaged(store.db(), store.branch()); }

Result<std::vector<StagedEdit>> StagedEdits(Store& store, const std::vector<std::string>& only) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Op> ops, StagedOps(store));
  // (location, ns) -> (after, repointed only)
  std::map<std::pair<std::string, Namespace>, std::pair<std::optional<ItemHash>, bool>> net;
  for (const Op& op : ops) {
    if (const auto* s = std::get_if<SetName>(&op)) {
      net[{s->location, s->ns}] = {s->item, false};
    } else if (const auto* r = std::get_if<Repoint>(&op)) {
      auto [it, fresh] = net.try_emplace({r->location, r->ns}, r->item, true);
      if (!fresh) it->second.first = r->item;
    } else if (const auto* u = std::get_if<Unname>(&op)) {
      net[{u->location, u->ns}] = {std::nullopt, false};
    }
  }
  std::vector<StagedEdit> out;
  for (const auto& [key, value] : net) {
    if (!only.empty() && std::find(only.begin(), only.end(), key.first) == only.end()) continue;
    WEFT_ASSIGN_OR_RETURN(auto committed,
                          FindBinding(store.db(), store.branch(), key.first, key.second));
    StagedEdit e;
    e.ns = key.second;
    e.location = key.first;
    if (committed) e.before = committed->item;
    e.after = value.first;
    e.repointed = value.second;
    if (e.before == e.after) continue;
    if (e.after) {
      WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(store.db(), *e.after));
      if (item) e.after_kind = item->kind;
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<NameDiff>> DiffStaged(Store& store, const std::vector<std::string>& only) {
  WEFT_ASSIGN_OR_RETURN(std::vector<StagedEdit> all, StagedEdits(store));
  // New sources print the staged names of what they use.
  auto staged = std::make_shared<std::map<ItemHash, std::string>>();
  for (const StagedEdit& e : all) {
    if (e.after) staged->try_emplace(*e.after, e.location);
  }
  std::vector<StagedEdit> edits;
  for (StagedEdit& e : all) {
    if (only.empty() || std::find(only.begin(), only.end(), e.location) != only.end())
      edits.push_back(std::move(e));
  }
  std::vector<NameDiff> out;
  for (StagedEdit& e : edits) {
    NameDiff d;
    if (e.before) {
      WEFT_ASSIGN_OR_RETURN(d.before_source,
                            PrintStoredItem(store.db(), store.branch(), *e.before, e.location));
    }
    if (e.after) {
      WEFT_ASSIGN_OR_RETURN(d.after_source, PrintStoredItem(store.db(), store.branch(), *e.after,
                                                            e.location, staged));
    }
    d.lines = LineDiff(d.before_source, d.after_source);
    d.edit = std::move(e);
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace weft::workspace
