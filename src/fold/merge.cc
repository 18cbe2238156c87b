#include "fold/merge.h"

#include <algorithm>
#include <map>
#include <set>

#include "fold/folder.h"
#include "fold/ledger.h"
#include "fold/queries.h"

namespace weft {
namespace {

using EditId = std::pair<ChangeHash, std::uint32_t>;
using SlotId = std::pair<Slot, std::string>;

// Every edit of every slot in `branch`'s view, by slot.
Result<std::map<SlotId, std::set<EditId>>> Histories(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("SELECT slot, location, change, op_index FROM slot_edits WHERE branch = ?"));
  q.Bind(branch);
  std::map<SlotId, std::set<EditId>> out;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) return out;
    out[{static_cast<Slot>(q.Int(0)), q.Text(1)}].emplace(ChangeHash::FromBytes(q.Blob(2)),
                                                          static_cast<std::uint32_t>(q.Int(3)));
  }
}

// The visible outcome of every slot on `branch`: its frontier's Winner().
Result<std::map<SlotId, Bytes>> Visible(Db& db, const std::string& branch) {
  WEFT_ASSIGN_OR_RETURN(
      Query q,
      db.Prepare("SELECT slot, location, change, hlc, outcome FROM frontier WHERE branch = ?"));
  q.Bind(branch);
  std::map<SlotId, std::vector<FrontierEntry>> frontiers;
  while (true) {
    WEFT_ASSIGN_OR_RETURN(bool row, q.Step());
    if (!row) break;
    FrontierEntry e;
    e.change = ChangeHash::FromBytes(q.Blob(2));
    e.hlc = Hlc(static_cast<std::uint64_t>(q.Int(3)));
    ByteView o = q.Blob(4);
    e.outcome.assign(o.begin(), o.end());
    frontiers[{static_cast<Slot>(q.Int(0)), q.Text(1)}].push_back(std::move(e));
  }
  std::map<SlotId, Bytes> out;
  for (auto& [slot, entries] : frontiers) out.emplace(slot, Winner(entries).outcome);
  return out;
}

bool HasEditOutside(const std::set<EditId>& mine, const std::set<EditId>& other) {
  return std::any_of(mine.begin(), mine.end(), [&](const EditId& e) { return !other.contains(e); });
}

}  // namespace

Result<MergePlan> PlanMerge(Db& db, const std::string& into, const std::string& from) {
  MergePlan plan;
  WEFT_ASSIGN_OR_RETURN(auto their_heads, BranchHeads(db, from));
  plan.up_to_date = true;
  for (const ChangeHash& h : their_heads) {
    WEFT_ASSIGN_OR_RETURN(bool held, ChangeInView(db, h, into));
    plan.up_to_date = plan.up_to_date && held;
  }
  WEFT_ASSIGN_OR_RETURN(auto ours, Histories(db, into));
  WEFT_ASSIGN_OR_RETURN(auto theirs, Histories(db, from));
  WEFT_ASSIGN_OR_RETURN(auto our_visible, Visible(db, into));
  WEFT_ASSIGN_OR_RETURN(auto their_visible, Visible(db, from));
  for (const auto& [slot, their_edits] : theirs) {
    auto mine = ours.find(slot);
    if (mine == ours.end()) continue;
    if (!HasEditOutside(their_edits, mine->second) || !HasEditOutside(mine->second, their_edits))
      continue;
    auto tv = their_visible.find(slot);
    auto ov = our_visible.find(slot);
    if (tv == their_visible.end() || ov == our_visible.end() || tv->second == ov->second) continue;
    WEFT_ASSIGN_OR_RETURN(DecodedOutcome outcome, DecodeOutcome(tv->second));
    plan.collisions.emplace_back(SlotKey{into, slot.first, slot.second},
                                 OpForOutcome(slot.first, slot.second, outcome));
  }
  return plan;
}

Result<Divergence> CompareBranches(Db& db, const std::string& branch, const std::string& base) {
  Divergence d;
  WEFT_ASSIGN_OR_RETURN(d.ahead, CountOnlyIn(db, branch, base));
  WEFT_ASSIGN_OR_RETURN(d.behind, CountOnlyIn(db, base, branch));
  return d;
}

}  // namespace weft
