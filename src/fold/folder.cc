#include "fold/folder.h"

#include <algorithm>
#include <set>

#include "store/blob_store.h"

namespace weft {
namespace {

// True when frontier entry `a` causally follows entry `b` (a supersedes b).
Result<bool> Supersedes(ProjectionCache& cache, const FrontierEntry& a, const FrontierEntry& b) {
  if (a.change == b.change) return a.op_index > b.op_index;
  WEFT_ASSIGN_OR_RETURN(const VectorClock* clock, cache.Clock(a.change));
  return clock->Covers(b.actor, b.seq);
}

// Adds `e` to the slot's set of maximal entries.
Status InsertFrontier(ProjectionCache& cache, const SlotKey& key, FrontierEntry e) {
  WEFT_ASSIGN_OR_RETURN(std::vector<FrontierEntry> * entries, cache.Frontier(key));
  for (const FrontierEntry& old : *entries) {
    if (old.change == e.change && old.op_index == e.op_index) return {};
    WEFT_ASSIGN_OR_RETURN(bool newer, Supersedes(cache, old, e));
    if (newer) return {};
  }
  std::vector<FrontierEntry> kept;
  kept.reserve(entries->size() + 1);
  for (FrontierEntry& old : *entries) {
    WEFT_ASSIGN_OR_RETURN(bool older, Supersedes(cache, e, old));
    if (!older) kept.push_back(std::move(old));
  }
  kept.push_back(std::move(e));
  *entries = std::move(kept);
  return {};
}

// Adds change `c` to the maximal elements `heads` of some set of changes.
Status InsertHead(ProjectionCache& cache, std::vector<ChangeHash>& heads, const ChangeHash& c) {
  WEFT_ASSIGN_OR_RETURN(const ChangeMeta* meta, cache.Meta(c));
  const ActorId actor = meta->actor;
  const std::uint64_t seq = meta->seq;
  for (const ChangeHash& h : heads) {
    if (h == c) return {};
    WEFT_ASSIGN_OR_RETURN(const VectorClock* hc, cache.Clock(h));
    if (hc->Covers(actor, seq)) return {};
  }
  WEFT_ASSIGN_OR_RETURN(const VectorClock* cc, cache.Clock(c));
  VectorClock clock = *cc;  // copy: later cache lookups may rehash the map
  std::vector<ChangeHash> kept;
  for (const ChangeHash& h : heads) {
    WEFT_ASSIGN_OR_RETURN(const ChangeMeta* hm, cache.Meta(h));
    if (!clock.Covers(hm->actor, hm->seq)) kept.push_back(h);
  }
  kept.push_back(c);
  std::sort(kept.begin(), kept.end());
  heads = std::move(kept);
  return {};
}

// Folds the slot edits of `c` into the view of `branch`.
Status FoldIntoView(ProjectionCache& cache, const std::string& branch, const EncodedChange& c) {
  WEFT_ASSIGN_OR_RETURN(std::vector<ChangeHash> * heads, cache.BranchHeads(branch));
  WEFT_TRY(InsertHead(cache, *heads, c.hash));
  for (std::size_t i = 0; i < c.change.ops.size(); ++i) {
    auto edit = SlotEditOf(c.change.ops[i]);
    if (!edit) continue;
    FrontierEntry e{c.hash,       static_cast<std::uint32_t>(i), c.change.actor, c.change.seq,
                    c.change.hlc, std::move(edit->outcome)};
    WEFT_TRY(InsertFrontier(cache, SlotKey{branch, edit->slot, std::move(edit->location)},
                            std::move(e)));
  }
  return {};
}

// True when change `m` belongs to the view of `branch`.
Result<bool> InView(ProjectionCache& cache, const ChangeHash& m, const std::string& branch,
                    int depth) {
  if (depth > 64)
    return Fail(ErrorCode::kCorruption, "branch ancestry is nested more than 64 deep");
  WEFT_ASSIGN_OR_RETURN(const ChangeMeta* meta, cache.Meta(m));
  if (meta->branch == branch) return true;
  const ActorId actor = meta->actor;
  const std::uint64_t seq = meta->seq;
  WEFT_ASSIGN_OR_RETURN(std::vector<Fork> forks, cache.Forks(branch));
  for (const Fork& f : forks) {
    WEFT_ASSIGN_OR_RETURN(const VectorClock* fc, cache.Clock(f.change));
    if (!fc->Covers(actor, seq)) continue;
    WEFT_ASSIGN_OR_RETURN(bool in_parent, InView(cache, m, f.parent, depth + 1));
    if (in_parent) return true;
  }
  return false;
}

// Folds into the view of `name` every change of `parent`'s view up to `fork`.
// Views only grow and folding is idempotent, so running this again after the
// parent's view grew (a second fork of the parent arrived) is safe.
Status FoldForkMembers(ProjectionCache& cache, Db& db, const std::string& name,
                       const std::string& parent, const ChangeHash& fork) {
  std::set<ChangeHash> seen{fork};
  std::vector<ChangeHash> todo{fork};
  std::vector<ChangeHash> members;
  while (!todo.empty()) {
    ChangeHash h = todo.back();
    todo.pop_back();
    WEFT_ASSIGN_OR_RETURN(bool member, InView(cache, h, parent, 0));
    if (member) members.push_back(h);
    WEFT_ASSIGN_OR_RETURN(auto loaded, LoadChange(db, h));
    if (!loaded)
      return Fail(ErrorCode::kCorruption, "change {} is referenced but missing", h.Short());
    for (const ChangeHash& d : loaded->change.deps) {
      if (seen.insert(d).second) todo.push_back(d);
    }
  }
  std::sort(members.begin(), members.end());
  for (const ChangeHash& m : members) {
    WEFT_ASSIGN_OR_RETURN(auto loaded, LoadChange(db, m));
    WEFT_TRY(FoldIntoView(cache, name, *loaded));
  }
  return {};
}

// A new branch `name` forked at `fork` (labelled `parent`). The new fork may also
// widen the view of every branch forked, directly or not, from `name`: their
// bases are re-folded too.
Status FoldFork(ProjectionCache& cache, Db& db, const std::string& name, const std::string& parent,
                const EncodedChange& fork) {
  WEFT_TRY(cache.AddFork(name, Fork{parent, fork.hash}));
  WEFT_TRY(FoldForkMembers(cache, db, name, parent, fork.hash));
  WEFT_ASSIGN_OR_RETURN(auto all, cache.AllForks());
  std::set<std::string> widened{name};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [branch, forks] : all) {
      if (widened.contains(branch)) continue;
      for (const Fork& f : forks) {
        if (!widened.contains(f.parent)) continue;
        for (const Fork& g : forks)
          WEFT_TRY(FoldForkMembers(cache, db, branch, g.parent, g.change));
        widened.insert(branch);
        grew = true;
        break;
      }
    }
  }
  return {};
}

}  // namespace

Status FoldChange(ProjectionCache& cache, Db& db, const EncodedChange& c) {
  const Change& ch = c.change;
  VectorClock clock;
  for (const ChangeHash& d : ch.deps) {
    WEFT_ASSIGN_OR_RETURN(const VectorClock* dc, cache.Clock(d));
    clock.Merge(*dc);
  }
  clock.Raise(ch.actor, ch.seq);
  cache.SetClock(c.hash, std::move(clock));
  cache.SetMeta(c.hash, ChangeMeta{ch.actor, ch.seq, ch.hlc, ch.branch});

  WEFT_ASSIGN_OR_RETURN(std::vector<ChangeHash> * heads, cache.Heads());
  WEFT_TRY(InsertHead(cache, *heads, c.hash));

  for (const Op& op : ch.ops) {
    const auto* add = std::get_if<AddItem>(&op);
    if (add == nullptr) continue;
    WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(db, add->item));
    if (!item) {
      return Fail(ErrorCode::kNotFound, "change {} adds item {} whose blob is missing",
                  c.hash.Short(), add->item.Short());
    }
    WEFT_TRY(cache.NoteItem(add->item, item->kind, c.hash, ch.hlc));
    for (const ItemHash& ref : item->refs) cache.AddDependency(add->item, ref);
  }

  WEFT_TRY(FoldIntoView(cache, ch.branch, c));
  for (const Op& op : ch.ops) {
    if (const auto* cb = std::get_if<CreateBranch>(&op)) {
      WEFT_TRY(FoldFork(cache, db, cb->name, ch.branch, c));
    }
  }
  return {};
}

}  // namespace weft
