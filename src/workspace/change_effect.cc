#include "workspace/change_effect.h"

#include <set>

#include "fold/outcome.h"
#include "store/change_log.h"
#include "workspace/item_access.h"
#include "workspace/labels.h"
#include "workspace/line_diff.h"

namespace weft::workspace {
namespace {

bool Before(const FrontierEntry& a, const FrontierEntry& b) {
  return a.hlc < b.hlc || (a.hlc == b.hlc && a.change < b.change);
}

// The item a slot edit binds, or nullopt (unbound).
Result<std::optional<ItemHash>> BoundItem(const FrontierEntry& e) {
  WEFT_ASSIGN_OR_RETURN(DecodedOutcome o, DecodeOutcome(e.outcome));
  if (o.kind != DecodedOutcome::Kind::kBound) return std::optional<ItemHash>();
  return std::optional<ItemHash>(o.item);
}

}  // namespace

Result<std::vector<SlotStep>> StepsOfChange(Db& db, const std::string& branch,
                                            const LogEntry& change) {
  WEFT_ASSIGN_OR_RETURN(auto clock, LoadClock(db, change.hash));
  if (!clock) {
    return Fail(ErrorCode::kCorruption, "change {} is not folded: run `weft rebuild`",
                change.hash.Short());
  }
  std::vector<SlotStep> out;
  std::set<std::pair<Slot, std::string>> seen;
  for (const Op& op : change.change.ops) {
    auto edit = SlotEditOf(op);
    if (!edit || !seen.insert({edit->slot, edit->location}).second) continue;
    WEFT_ASSIGN_OR_RETURN(auto history, SlotHistory(db, branch, edit->slot, edit->location));
    const auto self = std::find_if(history.begin(), history.end(),
                                   [&](const FrontierEntry& e) { return e.change == change.hash; });
    if (self == history.end()) continue;  // not folded on this branch
    SlotStep step{edit->slot, edit->location, std::holds_alternative<Repoint>(op), *self,
                  {},         false};
    for (const FrontierEntry& e : history) {
      if (e.change == change.hash) continue;
      if (clock->Covers(e.actor, e.seq)) {
        if (!step.previous || Before(*step.previous, e)) step.previous = e;
        continue;
      }
      WEFT_ASSIGN_OR_RETURN(auto theirs, LoadClock(db, e.change));
      if (theirs && theirs->Covers(self->actor, self->seq)) step.overtaken = true;
    }
    out.push_back(std::move(step));
  }
  return out;
}

Result<ChangeDiff> DiffChange(Store& store, const std::string& hash_prefix) {
  Db& db = store.db();
  WEFT_ASSIGN_OR_RETURN(ChangeHash hash, ResolveChangePrefix(db, hash_prefix));
  WEFT_ASSIGN_OR_RETURN(auto encoded, LoadChange(db, hash));
  if (!encoded) return Fail(ErrorCode::kNotFound, "no change {}", hash.Short());
  ChangeDiff out{LogEntry{hash, std::move(encoded->change)}, {}, {}};
  out.author = AuthorLabel(store, out.change.change.actor);
  const std::string& branch = out.change.change.branch;
  WEFT_ASSIGN_OR_RETURN(auto steps, StepsOfChange(db, branch, out.change));
  for (const SlotStep& s : steps) {
    if (s.slot == Slot::kDeprecation) continue;  // the change's ops say it
    NameDiff d;
    d.edit.ns = s.slot == Slot::kTerm ? Namespace::kTerm : Namespace::kType;
    d.edit.location = s.location;
    d.edit.repointed = s.repointed;
    if (s.previous) {
      WEFT_ASSIGN_OR_RETURN(d.edit.before, BoundItem(*s.previous));
    }
    WEFT_ASSIGN_OR_RETURN(d.edit.after, BoundItem(s.self));
    if (d.edit.before) {
      WEFT_ASSIGN_OR_RETURN(d.before_source,
                            PrintStoredItem(db, branch, *d.edit.before, s.location));
    }
    if (d.edit.after) {
      WEFT_ASSIGN_OR_RETURN(d.after_source, PrintStoredItem(db, branch, *d.edit.after, s.location));
    }
    d.lines = LineDiff(d.before_source, d.after_source);
    out.names.push_back(std::move(d));
  }
  return out;
}

}  // namespace weft::workspace
