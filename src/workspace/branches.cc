#include "workspace/branches.h"

#include <algorithm>

#include "fold/conflict_queries.h"
#include "fold/ledger.h"
#include "fold/merge.h"
#include "fold/queries.h"
#include "model/names.h"
#include "workspace/staging.h"

namespace weft::workspace {
namespace {

// Refuses a branch that is not there or is archived.
Status RequireLiveBranch(Store& store, const std::string& name) {
  WEFT_TRY(ValidateBranchName(name));
  WEFT_ASSIGN_OR_RETURN(bool exists, BranchExists(store.db(), name));
  if (!exists) return Fail(ErrorCode::kNotFound, "no branch named {}", name);
  WEFT_ASSIGN_OR_RETURN(auto branches, ListBranches(store.db()));
  for (const auto& b : branches) {
    if (b.name == name && b.archived)
      return Fail(ErrorCode::kFailedPrecondition, "branch {} is archived", name);
  }
  return {};
}

}  // namespace

Result<std::vector<BranchReport>> ListBranchReports(Store& store, bool all) {
  WEFT_ASSIGN_OR_RETURN(auto branches, ListBranches(store.db()));
  WEFT_ASSIGN_OR_RETURN(auto conflicts, ListConflicts(store.db(), std::nullopt));
  std::vector<BranchReport> out;
  for (auto& b : branches) {
    if (b.archived && !all) continue;
    WEFT_ASSIGN_OR_RETURN(Divergence d,
                          CompareBranches(store.db(), b.name, std::string(kMainBranch)));
    BranchReport r;
    r.current = b.name == store.branch();
    r.conflicts_awaiting_review =
        std::count_if(conflicts.begin(), conflicts.end(),
                      [&](const auto& c) { return c.branch == b.name && c.AwaitingReview(); });
    r.name = std::move(b.name);
    r.heads = std::move(b.heads);
    r.archived = b.archived;
    r.ahead_of_main = d.ahead;
    r.behind_main = d.behind;
    out.push_back(std::move(r));
  }
  return out;
}

Result<EncodedChange> CreateBranch(Store& store, const std::string& name) {
  WEFT_TRY(ValidateBranchName(name));
  return Ledger(store).AuthorChange(
      [&]() -> Result<Ledger::Authoring> {
        WEFT_ASSIGN_OR_RETURN(bool exists, BranchExists(store.db(), name));
        if (exists) return Fail(ErrorCode::kFailedPrecondition, "branch {} already exists", name);
        WEFT_TRY(RefuseStaged(store, "creating a branch"));
        return Ledger::Authoring{{weft::CreateBranch{name}}, {}};
      },
      "create branch " + name);
}

Status SwitchBranch(Store& store, const std::string& name) {
  WEFT_TRY(RequireLiveBranch(store, name));
  return store.SwitchBranch(name);
}

Result<EncodedChange> ArchiveBranch(Store& store, const std::string& name) {
  if (name == kMainBranch) return Fail(ErrorCode::kFailedPrecondition, "main cannot be archived");
  WEFT_TRY(RequireLiveBranch(store, name));
  if (name == store.branch()) {
    return Fail(ErrorCode::kFailedPrecondition,
                "switch to another branch before archiving {}, the current one", name);
  }
  return Ledger(store).AuthorChange({weft::ArchiveBranch{name}}, "archive " + name);
}

Result<MergeResult> MergeIntoCurrent(Store& store, const std::string& name) {
  WEFT_TRY(RequireLiveBranch(store, name));
  if (name == store.branch())
    return Fail(ErrorCode::kFailedPrecondition, "cannot merge branch {} into itself", name);
  MergeResult result;
  // Planned inside the write transaction: a commit on either branch by another
  // process lands wholly before or wholly after the plan.
  auto plan = [&]() -> Result<Ledger::Authoring> {
    WEFT_TRY(RefuseStaged(store, "merging"));
    WEFT_ASSIGN_OR_RETURN(MergePlan p, PlanMerge(store.db(), store.branch(), name));
    result.up_to_date = p.up_to_date;
    result.collisions.clear();
    Ledger::Authoring how;
    if (p.up_to_date) return how;  // no ops: nothing is written
    how.ops.push_back(MergeBranch{name});
    for (const auto& [key, op] : p.collisions) {
      how.ops.push_back(op);
      result.collisions.push_back(key.location);
    }
    WEFT_ASSIGN_OR_RETURN(how.extra_deps, BranchHeads(store.db(), name));
    return how;
  };
  auto change = Ledger(store).AuthorChange(plan, "merge " + name + " into " + store.branch());
  if (result.up_to_date) return result;
  WEFT_ASSIGN_OR_RETURN(result.change, std::move(change));
  return result;
}

}  // namespace weft::workspace
