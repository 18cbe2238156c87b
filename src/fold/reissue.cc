#include "fold/reissue.h"

#include <algorithm>
#include <map>
#include <set>

#include "fold/ledger.h"
#include "store/change_log.h"
#include "store/peers.h"
#include "store/wip.h"

namespace weft {
namespace {

ChangeHash Renamed(const std::map<ChangeHash, ChangeHash>& map, const ChangeHash& h) {
  auto it = map.find(h);
  return it == map.end() ? h : it->second;
}

}  // namespace

Result<Reissue> ReissueForkedChanges(Store& store, const ActorId& forked, std::uint64_t from_seq) {
  Db& db = store.db();
  WEFT_ASSIGN_OR_RETURN(Transaction tx, Transaction::Begin(db));
  WEFT_ASSIGN_OR_RETURN(bool own, IsOwnActor(db, forked));
  if (!own) {
    return Fail(ErrorCode::kFailedPrecondition, "actor {} is not this store's",
                forked.Hex().substr(0, 8));
  }
  WEFT_ASSIGN_OR_RETURN(std::vector<EncodedChange> originals,
                        ChangesOfActorFrom(db, forked, from_seq));
  Reissue out{forked, store.actor(), {}};
  if (originals.empty()) return out;
  // Everything built on them must be ours too, and is re-issued with them.
  std::set<ChangeHash> moving;
  for (const auto& c : originals) moving.insert(c.hash);
  for (bool grew = true; grew;) {
    grew = false;
    WEFT_ASSIGN_OR_RETURN(auto dependents, ChangesDependingOn(db, moving));
    for (const auto& d : dependents) {
      if (moving.contains(d.hash)) continue;
      std::optional<EncodedChange> c;
      if (!d.pending) {
        WEFT_ASSIGN_OR_RETURN(c, LoadChange(db, d.hash));
      }
      bool ours = false;
      if (c) {
        WEFT_ASSIGN_OR_RETURN(ours, IsOwnActor(db, c->change.actor));
      }
      if (!ours) {
        return Fail(ErrorCode::kFailedPrecondition,
                    "change {} of another instance builds on this store's change {}: they were "
                    "shared before the clash, so they cannot be re-issued",
                    d.hash.Short(), originals.front().hash.Short());
      }
      moving.insert(d.hash);
      originals.push_back(std::move(*c));
      grew = true;
    }
  }
  // Causal order: a change's deps come before it (the log order, column id).
  std::map<ChangeHash, std::size_t> position;
  {
    std::size_t i = 0;
    WEFT_TRY(ForEachChange(db, [&](const EncodedChange& c) {
      if (moving.contains(c.hash)) position[c.hash] = i;
      ++i;
      return Status{};
    }));
  }
  std::sort(originals.begin(), originals.end(), [&](const auto& a, const auto& b) {
    return position.at(a.hash) < position.at(b.hash);
  });
  WEFT_TRY(store.MintNewActor());
  out.actor = store.actor();
  std::map<ChangeHash, ChangeHash> renamed;
  std::optional<ChangeHash> previous;
  std::uint64_t seq = 0;
  std::vector<EncodedChange> reissued;
  for (const EncodedChange& original : originals) {
    Change ch = original.change;
    for (auto& d : ch.deps) d = Renamed(renamed, d);
    if (previous) ch.deps.push_back(*previous);  // each follows our last, as authoring does
    ch.actor = out.actor;
    ch.seq = ++seq;
    for (Op& op : ch.ops) {
      if (auto* base = std::get_if<Base>(&op)) {
        for (auto& h : base->frontier) h = Renamed(renamed, h);
        std::sort(base->frontier.begin(), base->frontier.end());
      }
    }
    EncodedChange next = EncodedChange::FromChange(std::move(ch));
    renamed[original.hash] = next.hash;
    out.renamed.emplace_back(original.hash, next.hash);
    previous = next.hash;
    reissued.push_back(std::move(next));
  }
  for (const EncodedChange& original : originals) WEFT_TRY(DeleteChange(db, original.hash));
  for (const EncodedChange& c : reissued) WEFT_TRY(InsertChange(db, c));
  WEFT_TRY(RenameStagedBases(db, out.renamed));
  WEFT_TRY(Ledger(store).RefoldInTransaction());
  WEFT_TRY(store.SaveClock());
  WEFT_TRY(tx.Commit());
  return out;
}

}  // namespace weft
