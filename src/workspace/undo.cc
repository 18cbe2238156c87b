#include "workspace/undo.h"

#include <algorithm>
#include <set>

#include "fold/conflict_queries.h"
#include "fold/ledger.h"
#include "fold/outcome.h"
#include "fold/queries.h"
#include "workspace/change_effect.h"
#include "workspace/staging.h"

namespace weft::workspace {
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
    std::vector<Op> ops;
    std::vector<std::string> overwritten;
    WEFT_ASSIGN_OR_RETURN(auto steps, StepsOfChange(db, store.branch(), *last));
    for (const SlotStep& step : steps) {
      if (step.overtaken) {
        overwritten.push_back(step.location);
        continue;
      }
      DecodedOutcome restore;  // nothing before: unbound, or not deprecated
      if (step.slot == Slot::kDeprecation) restore.kind = DecodedOutcome::Kind::kUndeprecated;
      if (step.previous) {
        WEFT_ASSIGN_OR_RETURN(restore, DecodeOutcome(step.previous->outcome));
      }
      ops.push_back(OpForOutcome(step.slot, step.location, restore));
      report.names.push_back(
          fmt::format("{} ({}): {}", step.location, SlotName(step.slot), DescribeOutcome(restore)));
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
  report.change = std::move(c);
  return report;
}

}  // namespace weft::workspace
