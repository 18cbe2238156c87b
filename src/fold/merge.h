// Planning a merge of branch `from` into branch `into` (`weft branch merge`).
#pragma once

#include <string>
#include <vector>

#include "fold/frontier.h"
#include "model/op.h"
#include "store/sqlite.h"

namespace weft {

struct MergePlan {
  bool up_to_date = false;  // every head of `from` is already in `into`'s view
  // Locations both branches changed since they split, with different visible
  // outcomes; the op takes `from`'s side. Sorted by slot, then location.
  std::vector<std::pair<SlotKey, Op>> collisions;
};

Result<MergePlan> PlanMerge(Db& db, const std::string& into, const std::string& from);

// How far two branches differ, counted in changes: changes in `branch`'s view but
// not in `base`'s (ahead), and the reverse (behind).
struct Divergence {
  std::uint64_t ahead = 0;
  std::uint64_t behind = 0;
};
Result<Divergence> CompareBranches(Db& db, const std::string& branch, const std::string& base);

}  // namespace weft
