#include "workspace/undo.h"

#include <algorithm>
#include <set>

#include "fold/conflict_queries.h"
#include "fold/ledger.h"
#include "fold/outcome.h"
#include "fold/queries.h"
#include "workspace/staging.h"

namespace weft::workspace {
namespace {

bool Before(const FrontierEntry& a, const FrontierEntry& b) {
  return a.hlc < b.hlc || (a.hlc == b.hlc && a.change < b.change);
}

}  // namespace

Result<UndoReport> UndoLast(Store& store) {
  WEFT_TRY(RefuseStaged(store, "undoing"));
  UndoReport report;
  std::string message;  // read by AuthorChange after the plan has set it
  Ledger ledger(store);
  auto plan = [&]() -> Result<Ledger::Authoring> {
    Db& db = store.db();
    WEFT_ASSIGN_OR_RETURN(auto last, LastOwnChange(db, store.branch()));
    if (!last) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "this instance has made no change on branch {} to undo", store.branch());
    }
    report.undone = last->hash;
    report.undone_message = last->change.message;
    message = fmt::format("undo {}: {}", last->hash.Short(), last->change.message);
    WEFT_ASSIGN_OR_RETURN(auto clock, LoadClock(db, last->hash));
    if (!clock)
      return Fail(ErrorCode::kCorruption, "change {} is not folded: run `weft rebuild`",
                  last->hash.Short());
    std::vector<Op> ops;
    std::vector<std::string> overwritten;
    std::set<std::pair<Slot, std::string>> seen;
    for (const Op& op : last->change.ops) {
      auto edit = SlotEditOf(op);
      if (!edit || !seen.insert({edit->slot, edit->location}).second) continue;
      WEFT_ASSIGN_OR_RETURN(auto history,
                            SlotHistory(db, store.branch(), edit->slot, edit->location));
      const auto self = std::find_if(history.begin(), history.end(), [&](const FrontierEntry& e) {
        return e.change == last->hash;
      });
      if (self == history.end()) continue;  // not folded on this branch
      // What it replaced: the latest edit in its causal past (greatest stamp, as
      // the fold picks a winner). What would be overwritten: an edit made after it
      // (one whose past holds it). A concurrent edit is neither: it raced the
      // undone change, and races the undo in turn (recorded as usual).
      const FrontierEntry* previous = nullptr;
      bool later = false;
      for (const FrontierEntry& e : history) {
        if (e.change == last->hash) continue;
        if (clock->Covers(e.actor, e.seq)) {
          if (!previous || Before(*previous, e)) previous = &e;
          continue;
        }
        WEFT_ASSIGN_OR_RETURN(auto theirs, LoadClock(db, e.change));
        if (theirs && theirs->Covers(self->actor, self->seq)) later = true;
      }
      if (later) {
        overwritten.push_back(edit->location);
        continue;
      }
      DecodedOutcome restore;  // nothing before: unbound, or not deprecated
      if (edit->slot == Slot::kDeprecation) restore.kind = DecodedOutcome::Kind::kUndeprecated;
      if (previous) {
        WEFT_ASSIGN_OR_RETURN(restore, DecodeOutcome(previous->outcome));
      }
      ops.push_back(OpForOutcome(edit->slot, edit->location, restore));
      report.names.push_back(fmt::format("{} ({}): {}", edit->location, SlotName(edit->slot),
                                         DescribeOutcome(restore)));
    }
    if (!overwritten.empty()) {
      std::string list;
      for (const auto& n : overwritten) list += (list.empty() ? "" : ", ") + n;
      return Fail(ErrorCode::kFailedPrecondition,
                  "{} changed again after {} (\"{}\"); undoing it would overwrite that edit: "
                  "re-bind by hand, or see `weft log NAME`",
                  list, last->hash.Short(), last->change.message);
    }
    if (ops.empty()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "the last change here, {} (\"{}\"), edited no name; there is nothing to undo",
                  last->hash.Short(), last->change.message);
    }
    return Ledger::Authoring{std::move(ops), {}};
  };
  WEFT_ASSIGN_OR_RETURN(EncodedChange c, ledger.AuthorChange(plan, message));
  report.change = c.hash;
  return report;
}

}  // namespace weft::workspace
