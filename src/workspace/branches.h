// Branches as a person manages them: list with where each stands against main,
// create, switch, merge into the current one, archive.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "model/change.h"
#include "store/store.h"

namespace weft::workspace {

struct BranchReport {
  std::string name;
  std::vector<ChangeHash> heads;
  bool archived = false;
  bool current = false;
  std::uint64_t ahead_of_main = 0;  // changes of its view main's view lacks
  std::uint64_t behind_main = 0;
  std::int64_t conflicts_awaiting_review = 0;
};
// Every branch (archived ones only with `all`), by name.
Result<std::vector<BranchReport>> ListBranchReports(Store& store, bool all);

// Commits a CreateBranch change (refused with staged ops, or when it exists).
Result<EncodedChange> CreateBranch(Store& store, const std::string& name);
// Makes `name` the current branch (local; it does not sync).
Status SwitchBranch(Store& store, const std::string& name);
// Commits an ArchiveBranch change (not main, not the current branch).
Result<EncodedChange> ArchiveBranch(Store& store, const std::string& name);

struct MergeResult {
  bool up_to_date = false;
  std::optional<EncodedChange> change;
  std::vector<std::string> collisions;  // locations that took the other side
};
// Merges branch `name` into the current branch (refused with staged ops).
Result<MergeResult> MergeIntoCurrent(Store& store, const std::string& name);

}  // namespace weft::workspace
