#include "cli/review.h"

#include "cli/context.h"
#include "cli/staging.h"
#include "fold/ledger.h"
#include "store/change_log.h"
#include "store/peers.h"

namespace weft::cli {

std::string StateLabel(const ConflictInfo& c) {
  if (c.state == "open") return c.acked ? "acknowledged" : "awaiting review";
  if (c.state == "resolved") return "resolved by " + c.resolution;
  return "superseded by a later edit";
}

Result<const FrontierEntry*> ChooseCandidate(Store& store, const ConflictInfo& conflict,
                                             const std::string& choice) {
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

Result<Resolution> ResolveConflict(Store& store, const ConflictInfo& given,
                                   const std::string& choice) {
  Resolution out;
  auto plan = [&]() -> Result<Ledger::Authoring> {
    // Read again under the write lock: another process may have resolved it.
    WEFT_ASSIGN_OR_RETURN(ConflictInfo c, FindConflict(store.db(), given.id.Hex()));
    if (c.branch != store.branch()) {
      return Fail(ErrorCode::kFailedPrecondition,
                  "conflict {} is on branch {}; switch to it first (`weft branch switch {}`)",
                  c.id.Short(), c.branch, c.branch);
    }
    if (c.state != "open") {
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
        if (!d.cause || *d.cause != c.id || d.state != "open") continue;
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

Result<MergeResult> MergeIntoCurrent(Store& store, const std::string& name) {
  WEFT_TRY(ValidateBranchName(name));
  if (name == store.branch())
    return Fail(ErrorCode::kFailedPrecondition, "cannot merge branch {} into itself", name);
  WEFT_TRY(RefuseStaged(store, "merging"));
  MergeResult result;
  WEFT_ASSIGN_OR_RETURN(MergePlan plan, PlanMerge(store.db(), store.branch(), name));
  if (plan.up_to_date) {
    result.up_to_date = true;
    return result;
  }
  Ledger::Authoring how;
  how.ops.push_back(MergeBranch{name});
  for (const auto& [key, op] : plan.collisions) {
    how.ops.push_back(op);
    result.collisions.push_back(key.location);
  }
  WEFT_ASSIGN_OR_RETURN(how.extra_deps, BranchHeads(store.db(), name));
  WEFT_ASSIGN_OR_RETURN(
      result.change, Ledger(store).AuthorChange([&]() -> Result<Ledger::Authoring> { return how; },
                                                "merge " + name + " into " + store.branch()));
  return result;
}

Result<std::vector<ClockAhead>> ClocksAhead(Store& store, std::uint64_t now_ms) {
  constexpr std::uint64_t kTolerance = 5 * 60 * 1000;
  WEFT_ASSIGN_OR_RETURN(auto stamps, LatestStampPerActor(store.db()));
  std::vector<ClockAhead> out;
  for (const auto& [actor, hlc] : stamps) {
    WEFT_ASSIGN_OR_RETURN(bool own, IsOwnActor(store.db(), actor));
    if (own || hlc.millis() <= now_ms + kTolerance) continue;
    out.push_back(ClockAhead{AuthorLabel(store, actor), (hlc.millis() - now_ms) / 60'000});
  }
  return out;
}

}  // namespace weft::cli
