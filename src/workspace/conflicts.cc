#include "workspace/conflicts.h"

#include "fold/ledger.h"
#include "store/change_log.h"
#include "store/peers.h"
#include "store/reviews.h"
#include "workspace/item_access.h"
#include "workspace/labels.h"
#include "workspace/staging.h"

namespace weft::workspace {

std::string StateLabel(const ConflictInfo& c) {
  if (c.open()) return c.acked ? "acknowledged" : "awaiting review";
  if (c.state == ConflictState::kResolved) return "resolved by " + ResolutionLabel(c.resolution);
  return "superseded by a later edit";
}

Result<const FrontierEntry*> ChooseCandidate(Store& store, const ConflictInfo& conflict,
                                             const std::string& given) {
  const std::string choice(WithoutHashMark(given));
  std::vector<const FrontierEntry*> picked;
  if (choice == "mine" || choice == "theirs") {
    const bool want_mine = choice == "mine";
    for (const FrontierEntry& e : conflict.candidates) {
      WEFT_ASSIGN_OR_RETURN(bool mine, IsOwnActor(store.db(), e.actor));
      if (mine == want_mine) picked.push_back(&e);
    }
    if (picked.empty()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "no candidate is {}: name one by its change hash (see `weft conflicts show {}`)",
                  want_mine ? "from this instance" : "from another instance", conflict.id.Short());
    }
  } else if (IsHexPrefix(choice)) {
    for (const FrontierEntry& e : conflict.candidates) {
      if (e.change.Hex().starts_with(choice)) picked.push_back(&e);
    }
    if (picked.empty())
      return Fail(ErrorCode::kNotFound, "no candidate change starts with {}", choice);
  } else {
    return Fail(ErrorCode::kInvalidArgument,
                "choose mine, theirs, or a candidate's change hash (8+ hex digits), not '{}'",
                choice);
  }
  for (const FrontierEntry* e : picked) {
    if (e->outcome != picked.front()->outcome) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "'{}' matches candidates with different content: name one by its change hash",
                  choice);
    }
  }
  return picked.front();
}

namespace {

Result<std::vector<Side>> SidesOf(Store& store, const ConflictInfo& c, bool with_source) {
  std::vector<Side> out;
  for (const FrontierEntry& e : c.candidates) {
    Side side;
    side.entry = e;
    WEFT_ASSIGN_OR_RETURN(side.outcome, DecodeOutcome(e.outcome));
    WEFT_ASSIGN_OR_RETURN(side.mine, IsOwnActor(store.db(), e.actor));
    side.instance = AuthorLabel(store, e.actor);
    side.kept = e.change == c.winner;
    if (with_source) {
      if (side.outcome.kind == DecodedOutcome::Kind::kBound) {
        auto src = PrintStoredItem(store.db(), c.branch, side.outcome.item);
        side.source = src ? *src : "(source unavailable: " + src.error().message() + ")";
      } else if (side.outcome.kind == DecodedOutcome::Kind::kDeprecated) {
        side.source = "deprecated: " + side.outcome.reason +
                      (side.outcome.replacement ? "\nuse " + *side.outcome.replacement : "");
      } else {
        side.source = "(" + DescribeOutcome(side.outcome) + ")";
      }
    }
    out.push_back(std::move(side));
  }
  return out;
}

Result<ConflictView> ViewOf(Store& store, const ConflictInfo& c,
                            const std::vector<ConflictInfo>& branch, bool with_source) {
  ConflictView v;
  v.info = c;
  WEFT_ASSIGN_OR_RETURN(v.sides, SidesOf(store, c, with_source));
  for (const auto& d : branch) {
    if (d.cause && *d.cause == c.id) v.dependents.push_back(d.location);
  }
  return v;
}

}  // namespace

Result<std::vector<ConflictView>> ListConflictViews(Store& store, bool all, bool tied) {
  WEFT_ASSIGN_OR_RETURN(auto conflicts, ListConflicts(store.db(), store.branch()));
  std::vector<ConflictView> out;
  for (const auto& c : conflicts) {
    if ((c.cause && !tied) || (!all && !c.AwaitingReview())) continue;
    WEFT_ASSIGN_OR_RETURN(ConflictView v, ViewOf(store, c, conflicts, false));
    out.push_back(std::move(v));
  }
  return out;
}

Result<ConflictView> ShowConflict(Store& store, const std::string& id) {
  WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store.db(), id));
  WEFT_ASSIGN_OR_RETURN(auto branch, ListConflicts(store.db(), c.branch));
  return ViewOf(store, c, branch, true);
}

Result<std::vector<ConflictInfo>> AckConflicts(Store& store, const std::string& id_or_all) {
  std::vector<ConflictInfo> targets;
  if (id_or_all == "all") {
    WEFT_ASSIGN_OR_RETURN(targets, ListConflicts(store.db(), store.branch()));
    std::erase_if(targets, [](const auto& c) { return !c.AwaitingReview(); });
  } else {
    WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store.db(), id_or_all));
    targets.push_back(std::move(c));
  }
  std::vector<ConflictId> ids;
  for (const auto& c : targets) ids.push_back(c.id);
  WEFT_TRY(weft::AckConflicts(store.db(), ids));
  return targets;
}

Result<Resolution> ResolveConflict(Store& store, const std::string& id, const std::string& choice) {
  WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store.db(), id));
  return ResolveConflict(store, c, choice);
}

Result<Resolution> ResolveConflict(Store& store, const ConflictInfo& given,
                                   const std::string& choice) {
  Resolution out;
  out.location = given.location;
  auto plan = [&]() -> Result<Ledger::Authoring> {
    // Read again under the write lock: another process may have resolved it.
    WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store.db(), given.id.Hex()));
    if (c.branch != store.branch()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "conflict {} is on branch {}; switch to it first (`weft branch switch {}`)",
                  c.id.Short(), c.branch, c.branch);
    }
    if (!c.open()) {
      return Fail(ErrorCode::kFailedPrecondition, "conflict {} is already {}", c.id.Short(),
                  StateLabel(c));
    }
    WEFT_ASSIGN_OR_RETURN(const FrontierEntry* chosen, ChooseCandidate(store, c, choice));
    WEFT_ASSIGN_OR_RETURN(DecodedOutcome outcome, DecodeOutcome(chosen->outcome));
    Ledger::Authoring how;
    for (const auto& e : c.candidates) how.extra_deps.push_back(e.change);
    how.ops = {Resolve{c.id}, OpForOutcome(c.slot, c.location, outcome)};
    out.chosen = *chosen;
    out.dependents.clear();
    // The dependents re-pointed through this race take the side from the same
    // change as the chosen candidate.
    if (!c.dependents.empty()) {
      WEFT_ASSIGN_OR_RETURN(auto all, ListConflicts(store.db(), c.branch));
      for (const auto& d : all) {
        if (!d.cause || *d.cause != c.id || !d.open()) continue;
        for (const auto& e : d.candidates) {
          if (e.change != chosen->change) continue;
          WEFT_ASSIGN_OR_RETURN(DecodedOutcome side, DecodeOutcome(e.outcome));
          how.ops.push_back(Resolve{d.id});
          how.ops.push_back(OpForOutcome(d.slot, d.location, side));
          out.dependents.push_back(d.location);
          break;
        }
      }
    }
    return how;
  };
  WEFT_ASSIGN_OR_RETURN(out.change,
                        Ledger(store).AuthorChange(plan, "resolve conflict on " + given.location));
  return out;
}

}  // namespace weft::workspace
