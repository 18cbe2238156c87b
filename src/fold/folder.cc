#include "fold/folder.h"

#include <algorithm>
#include <map>
#include <set>

#include "store/blob_store.h"

namespace weft {
namespace {

// True when edit `a` of slot `key` follows edit `b` (a supersedes b): b's change is
// in a's past, or, when a's change gives the slot a Base (the edit was staged
// before a sync moved the slot), in the past of what a's author saw. Either way
// b's change is in a's past, so this is a partial order that folding in causal
// order respects.
Result<bool> Supersedes(ProjectionCache& cache, const SlotKey& key, const FrontierEntry& a,
                        const FrontierEntry& b) {
  if (a.change == b.change) return a.op_index > b.op_index;
  WEFT_ASSIGN_OR_RETURN(const std::vector<ChangeHash>* base,
                        cache.BaseOf(a.change, key.slot, key.location));
  if (base == nullptr) {
    WEFT_ASSIGN_OR_RETURN(const VectorClock* clock, cache.Clock(a.change));
    return clock->Covers(b.actor, b.seq);
  }
  for (const ChangeHash& seen : *base) {
    if (seen == b.change) return true;
    WEFT_ASSIGN_OR_RETURN(const VectorClock* clock, cache.Clock(seen));
    if (clock->Covers(b.actor, b.seq)) return true;
  }
  return false;
}

// The maximal edits of `edits` strictly before `e`, skipping those in `except`.
// Candidates are taken in descending causal depth, so each is compared only with
// the maximal ones already kept: whatever follows it is deeper, and is kept or
// followed by a kept one.
Result<std::vector<FrontierEntry>> MaximalBefore(ProjectionCache& cache, const SlotKey& key,
                                                 const std::vector<FrontierEntry>& edits,
                                                 const FrontierEntry& e,
                                                 const std::vector<FrontierEntry>* except) {
  struct Candidate {
    std::uint64_t depth;  // the clock total of the edit's change
    const FrontierEntry* edit;
  };
  std::vector<Candidate> before;
  for (const FrontierEntry& s : edits) {
    if (except != nullptr && std::any_of(except->begin(), except->end(),
                                         [&](const FrontierEntry& x) { return x.SameEdit(s); }))
      continue;
    WEFT_ASSIGN_OR_RETURN(bool older, Supersedes(cache, key, e, s));
    if (!older) continue;
    WEFT_ASSIGN_OR_RETURN(const VectorClock* clock, cache.Clock(s.change));
    before.push_back(Candidate{clock->Total(), &s});
  }
  // Deeper first; within one change, later ops first.
  std::sort(before.begin(), before.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.depth, a.edit->op_index) > std::tie(b.depth, b.edit->op_index);
  });
  std::vector<FrontierEntry> maximal;
  for (const Candidate& s : before) {
    bool covered = false;
    for (const FrontierEntry& t : maximal) {
      WEFT_ASSIGN_OR_RETURN(covered, Supersedes(cache, key, t, *s.edit));
      if (covered) break;
    }
    if (!covered) maximal.push_back(*s.edit);
  }
  return maximal;
}

// Records that edit `e` of change `c` settled the race `settled_race` (= F(e)).
Status AddResolver(ProjectionCache& cache, const SlotKey& key, const EncodedChange& c,
                   const FrontierEntry& e, std::vector<FrontierEntry> settled_race) {
  if (!HasDistinctOutcomes(settled_race)) return {};
  const ConflictId id = ConflictIdOf(key, settled_race);
  const ConflictResolver r = ResolverOf(c.change, c.hash, e, id, settled_race);
  WEFT_ASSIGN_OR_RETURN(std::vector<ConflictRecord> * settled, cache.Settled(key));
  auto it = std::find_if(settled->begin(), settled->end(),
                         [&](const ConflictRecord& rec) { return rec.id == id; });
  if (it != settled->end()) {
    KeepGreaterResolver(it->resolver, r);
  } else {
    settled->push_back(ConflictRecord{id, std::move(settled_race), r});
  }
  return {};
}

// A merge's races compare the merging branch with the merged one's history, so a
// new edit in a branch's history re-opens the same slot of every branch that
// merged it.
Status UnsettleMergers(ProjectionCache& cache, const SlotKey& key) {
  WEFT_ASSIGN_OR_RETURN(std::vector<std::string> mergers, cache.MergersOf(key.branch));
  for (std::string& m : mergers) cache.MarkUnsettled(SlotKey{std::move(m), key.slot, key.location});
  return {};
}

// Adds edit `e` of change `c` to its slot: to the history, to the frontier (the
// maximal edits) and, when e follows a race, to that race's settled record
// (docs/design/conflicts.md).
Status InsertEdit(ProjectionCache& cache, const SlotKey& key, FrontierEntry e,
                  const EncodedChange& c) {
  WEFT_ASSIGN_OR_RETURN(std::vector<FrontierEntry> * frontier, cache.Frontier(key));
  bool late = false;
  for (const FrontierEntry& old : *frontier) {
    if (old.SameEdit(e)) return {};
    WEFT_ASSIGN_OR_RETURN(bool newer, Supersedes(cache, key, old, e));
    late = late || newer;
  }
  if (late) {
    // Older than an edit already folded (a view widened to take it in): it joins
    // the history only, and the slot's races are re-derived before the flush.
    WEFT_ASSIGN_OR_RETURN(std::vector<FrontierEntry> * history, cache.History(key));
    for (const FrontierEntry& h : *history) {
      if (h.SameEdit(e)) return {};
    }
    cache.AddHistory(key, e);
    cache.MarkUnsettled(key);
    return UnsettleMergers(cache, key);
  }
  std::vector<FrontierEntry> kept;
  std::vector<FrontierEntry> superseded;
  kept.reserve(frontier->size() + 1);
  for (FrontierEntry& old : *frontier) {
    WEFT_ASSIGN_OR_RETURN(bool older, Supersedes(cache, key, e, old));
    (older ? superseded : kept).push_back(std::move(old));
  }
  cache.AddHistory(key, e);
  WEFT_TRY(UnsettleMergers(cache, key));
  const bool merge = std::any_of(c.change.ops.begin(), c.change.ops.end(), [](const Op& op) {
    return std::holds_alternative<MergeBranch>(op);
  });
  if (merge) {
    // A merge's races are between the two branches: settled with both histories.
    cache.MarkUnsettled(key);
  } else if (kept.empty()) {
    // e followed the whole frontier, so F(e) is the frontier.
    WEFT_TRY(AddResolver(cache, key, c, e, std::move(superseded)));
  } else {
    // Concurrent with part of the frontier. No edit follows e (else it would be
    // late), so only F(e) is new, and it needs the history.
    WEFT_ASSIGN_OR_RETURN(std::vector<FrontierEntry> * history, cache.History(key));
    WEFT_ASSIGN_OR_RETURN(auto before, MaximalBefore(cache, key, *history, e, nullptr));
    WEFT_TRY(AddResolver(cache, key, c, e, std::move(before)));
  }
  kept.push_back(std::move(e));
  *frontier = std::move(kept);
  return {};
}

// The branch that edit `e` of `key.branch` merges in, when its change is a merge
// into that branch (a CreateBranch fork's change lives on the parent instead).
Result<std::optional<std::string>> MergedBy(ProjectionCache& cache, const SlotKey& key,
                                            const FrontierEntry& e) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Fork> forks, cache.Forks(key.branch));
  for (const Fork& f : forks) {
    if (f.change != e.change) continue;
    WEFT_ASSIGN_OR_RETURN(const ChangeMeta* meta, cache.Meta(e.change));
    if (meta->branch == key.branch) return std::optional<std::string>(f.parent);
  }
  return std::optional<std::string>();
}

// What edit `e` settles. For an ordinary edit, F(e): the maximal edits before it.
// For a merge of branch N, the two sides: the maximal edits of N's view before e,
// and the maximal edits before e that only this branch has. A person merging
// sees the locations both sides changed since they split, whatever the causal
// order of the two sides (one device's edits are always ordered).
Result<std::vector<FrontierEntry>> Settles(ProjectionCache& cache, const SlotKey& key,
                                           const std::vector<FrontierEntry>& history,
                                           const FrontierEntry& e) {
  WEFT_ASSIGN_OR_RETURN(auto merged, MergedBy(cache, key, e));
  if (!merged) return MaximalBefore(cache, key, history, e, nullptr);
  WEFT_ASSIGN_OR_RETURN(std::vector<FrontierEntry> * theirs_ptr,
                        cache.History(SlotKey{*merged, key.slot, key.location}));
  const std::vector<FrontierEntry> theirs = *theirs_ptr;
  WEFT_ASSIGN_OR_RETURN(auto their_side, MaximalBefore(cache, key, theirs, e, nullptr));
  WEFT_ASSIGN_OR_RETURN(auto our_side, MaximalBefore(cache, key, history, e, &theirs));
  if (their_side.empty() || our_side.empty()) return std::vector<FrontierEntry>();
  our_side.insert(our_side.end(), their_side.begin(), their_side.end());
  return our_side;
}

// Re-derives the settled races of one slot from its whole history.
Status SettleSlot(ProjectionCache& cache, Db& db, const SlotKey& key) {
  WEFT_ASSIGN_OR_RETURN(std::vector<FrontierEntry> * history_ptr, cache.History(key));
  const std::vector<FrontierEntry> history = *history_ptr;
  std::map<ConflictId, ConflictRecord> records;
  std::map<ChangeHash, Change> changes;
  for (const FrontierEntry& e : history) {
    WEFT_ASSIGN_OR_RETURN(std::vector<FrontierEntry> maximal, Settles(cache, key, history, e));
    if (!HasDistinctOutcomes(maximal)) continue;
    const ConflictId id = ConflictIdOf(key, maximal);
    auto ch = changes.find(e.change);
    if (ch == changes.end()) {
      WEFT_ASSIGN_OR_RETURN(auto loaded, LoadChange(db, e.change));
      if (!loaded)
        return Fail(ErrorCode::kCorruption, "change {} is referenced but missing",
                    e.change.Short());
      ch = changes.emplace(e.change, std::move(loaded->change)).first;
    }
    const ConflictResolver r = ResolverOf(ch->second, e.change, e, id, maximal);
    auto [it, fresh] = records.try_emplace(id, ConflictRecord{id, std::move(maximal), r});
    if (!fresh) KeepGreaterResolver(it->second.resolver, r);
  }
  WEFT_ASSIGN_OR_RETURN(std::vector<ConflictRecord> * settled, cache.Settled(key));
  settled->clear();
  for (auto& [id, rec] : records) settled->push_back(std::move(rec));
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
    WEFT_TRY(
        InsertEdit(cache, SlotKey{branch, edit->slot, std::move(edit->location)}, std::move(e), c));
  }
  return {};
}

// True when change `m` belongs to the view of `branch`: m is labelled with a
// branch reachable from `branch` through imports whose change follows m.
Result<bool> InView(ProjectionCache& cache, const ChangeHash& m, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(const ChangeMeta* meta, cache.Meta(m));
  if (meta->branch == branch) return true;
  const std::string own = meta->branch;
  const ActorId actor = meta->actor;
  const std::uint64_t seq = meta->seq;
  std::set<std::string> seen{branch};
  std::vector<std::string> todo{branch};
  while (!todo.empty()) {
    const std::string b = std::move(todo.back());
    todo.pop_back();
    if (b == own) return true;
    WEFT_ASSIGN_OR_RETURN(std::vector<Fork> forks, cache.Forks(b));
    for (const Fork& f : forks) {
      if (seen.contains(f.parent)) continue;
      WEFT_ASSIGN_OR_RETURN(const VectorClock* fc, cache.Clock(f.change));
      if (!fc->Covers(actor, seq)) continue;
      seen.insert(f.parent);
      todo.push_back(f.parent);
    }
  }
  return false;
}

// Folds `changes` into the view of `branch`, in causal order (by clock total).
Status FoldMembers(ProjectionCache& cache, Db& db, const std::string& branch,
                   const std::vector<ChangeHash>& changes) {
  std::vector<std::pair<std::uint64_t, ChangeHash>> order;
  for (const ChangeHash& m : changes) {
    WEFT_ASSIGN_OR_RETURN(const VectorClock* clock, cache.Clock(m));
    order.emplace_back(clock->Total(), m);
  }
  std::sort(order.begin(), order.end());
  for (const auto& [total, m] : order) {
    WEFT_ASSIGN_OR_RETURN(auto loaded, LoadChange(db, m));
    if (!loaded)
      return Fail(ErrorCode::kCorruption, "change {} is referenced but missing", m.Short());
    WEFT_TRY(FoldIntoView(cache, branch, *loaded));
  }
  return {};
}

// The changes of `parent`'s view up to `fork` that are not yet in `name`'s view.
// REQUIRES: the import (name <- parent at fork) is not registered yet.
Result<std::vector<ChangeHash>> NewImportMembers(ProjectionCache& cache, Db& db,
                                                 const std::string& name, const std::string& parent,
                                                 const ChangeHash& fork) {
  std::set<ChangeHash> seen{fork};
  std::vector<ChangeHash> todo{fork};
  std::vector<ChangeHash> members;
  while (!todo.empty()) {
    ChangeHash h = todo.back();
    todo.pop_back();
    WEFT_ASSIGN_OR_RETURN(bool member, InView(cache, h, parent));
    if (member) {
      WEFT_ASSIGN_OR_RETURN(bool already, InView(cache, h, name));
      if (!already) members.push_back(h);
    }
    // The deps column, not the decoded change: the walk visits the whole history.
    WEFT_ASSIGN_OR_RETURN(std::vector<ChangeHash> deps, LoadDeps(db, h));
    for (const ChangeHash& d : deps) {
      if (seen.insert(d).second) todo.push_back(d);
    }
  }
  return members;
}

// `name`'s view takes in `parent`'s view up to change `fork`: a new branch
// (CreateBranch in a change on `parent`) or a merge (MergeBranch{parent} in a
// change on `name`). What `name` gains, every branch importing from it gains too,
// as far as its own import point reaches (and so on down): only that delta is
// folded, so a merge into main does not re-fold every branch forked from main.
Status FoldFork(ProjectionCache& cache, Db& db, const std::string& name, const std::string& parent,
                const EncodedChange& fork) {
  WEFT_ASSIGN_OR_RETURN(std::vector<ChangeHash> gained,
                        NewImportMembers(cache, db, name, parent, fork.hash));
  WEFT_TRY(FoldMembers(cache, db, name, gained));
  WEFT_TRY(cache.AddFork(name, Fork{parent, fork.hash}));
  if (gained.empty()) return {};
  WEFT_ASSIGN_OR_RETURN(auto all, cache.AllForks());
  // Members already handed to each branch, so cyclic imports terminate.
  std::map<std::string, std::set<ChangeHash>> handed;
  handed[name].insert(gained.begin(), gained.end());
  std::vector<std::pair<std::string, std::vector<ChangeHash>>> work{{name, std::move(gained)}};
  while (!work.empty()) {
    auto [from, delta] = std::move(work.back());
    work.pop_back();
    for (const auto& [branch, forks] : all) {
      for (const Fork& f : forks) {
        if (f.parent != from) continue;
        WEFT_ASSIGN_OR_RETURN(const VectorClock* at, cache.Clock(f.change));
        const VectorClock reach = *at;  // copy: folding may rehash the clock cache
        std::vector<ChangeHash> add;
        for (const ChangeHash& x : delta) {
          WEFT_ASSIGN_OR_RETURN(const ChangeMeta* meta, cache.Meta(x));
          if (reach.Covers(meta->actor, meta->seq) && handed[branch].insert(x).second)
            add.push_back(x);
        }
        if (add.empty()) continue;
        WEFT_TRY(FoldMembers(cache, db, branch, add));
        work.emplace_back(branch, std::move(add));
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
  for (const Op& op : ch.ops) {
    if (const auto* b = std::get_if<Base>(&op))
      cache.SetBase(c.hash, b->slot, b->location, b->frontier);
  }

  WEFT_ASSIGN_OR_RETURN(std::vector<ChangeHash> * heads, cache.Heads());
  WEFT_TRY(InsertHead(cache, *heads, c.hash));

  for (const Op& op : ch.ops) {
    const auto* add = std::get_if<AddItem>(&op);
    if (add == nullptr) continue;
    if (const auto* known = cache.KnownItem(add->item)) {
      WEFT_TRY(cache.NoteItem(add->item, known->kind, c.hash, ch.hlc));
      for (const ItemHash& ref : known->refs) cache.AddDependency(add->item, ref);
      continue;
    }
    WEFT_ASSIGN_OR_RETURN(auto item, LoadItem(db, add->item));
    if (!item) {
      return Fail(ErrorCode::kNotFound, "change {} adds item {} whose blob is missing",
                  c.hash.Short(), add->item.Short());
    }
    WEFT_TRY(cache.NoteItem(add->item, item->kind, c.hash, ch.hlc));
    for (const ItemHash& ref : item->refs) cache.AddDependency(add->item, ref);
  }

  // Each branch named once, however often a (hostile) change repeats it: an
  // import walks the history below the change.
  std::set<std::string> merged, created;
  for (const Op& op : ch.ops) {
    if (const auto* m = std::get_if<MergeBranch>(&op)) merged.insert(m->name);
    if (const auto* cb = std::get_if<CreateBranch>(&op)) created.insert(cb->name);
    if (const auto* a = std::get_if<ArchiveBranch>(&op)) cache.NoteArchived(a->name, c.hash);
  }
  // A merge takes in the other branch first, so that the merge's own edits find
  // both sides in the frontier and settle the races between them.
  for (const std::string& name : merged) WEFT_TRY(FoldFork(cache, db, ch.branch, name, c));
  WEFT_TRY(FoldIntoView(cache, ch.branch, c));
  for (const std::string& name : created) WEFT_TRY(FoldFork(cache, db, name, ch.branch, c));
  return {};
}

Result<bool> InPastOf(ProjectionCache& cache, Db& db, const std::vector<ChangeHash>& deps,
                      const ChangeHash& h) {
  if (std::find(deps.begin(), deps.end(), h) != deps.end()) return true;
  WEFT_ASSIGN_OR_RETURN(bool stored, HasChange(db, h));
  if (!stored) return false;
  WEFT_ASSIGN_OR_RETURN(const ChangeMeta* meta, cache.Meta(h));
  const ActorId actor = meta->actor;
  const std::uint64_t seq = meta->seq;
  for (const ChangeHash& d : deps) {
    WEFT_ASSIGN_OR_RETURN(const VectorClock* clock, cache.Clock(d));
    if (clock->Covers(actor, seq)) return true;
  }
  return false;
}

Result<bool> ChangeInView(Db& db, const ChangeHash& c, const std::string& branch) {
  ProjectionCache cache(db, false);
  return InView(cache, c, branch);
}

Result<std::uint64_t> CountOnlyIn(Db& db, const std::string& a, const std::string& b) {
  ProjectionCache cache(db, false);
  WEFT_ASSIGN_OR_RETURN(std::vector<ChangeHash> * heads, cache.BranchHeads(a));
  std::vector<ChangeHash> todo = *heads;
  std::set<ChangeHash> seen(todo.begin(), todo.end());
  std::uint64_t count = 0;
  while (!todo.empty()) {
    const ChangeHash h = todo.back();
    todo.pop_back();
    WEFT_ASSIGN_OR_RETURN(bool in_a, InView(cache, h, a));
    WEFT_ASSIGN_OR_RETURN(bool in_b, InView(cache, h, b));
    if (in_a && in_b) continue;
    if (in_a) ++count;
    WEFT_ASSIGN_OR_RETURN(auto deps, LoadDeps(db, h));
    for (const ChangeHash& d : deps) {
      if (seen.insert(d).second) todo.push_back(d);
    }
  }
  return count;
}

Status FlushFold(ProjectionCache& cache, Db& db) {
  for (const SlotKey& key : cache.TakeUnsettled()) WEFT_TRY(SettleSlot(cache, db, key));
  return cache.Flush();
}

}  // namespace weft
