// The canonical change log: the `changes` table and the queue of changes that
// wait for missing deps (`pending`, `pending_deps`).
//
// These are plain reads and writes; validation and folding live in fold/Ledger,
// which calls them inside one transaction. Rowid order of `changes` is a causal
// order: a change is inserted only after all of its deps.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "model/change.h"
#include "store/sqlite.h"

namespace weft {

// What the fold needs to know about a stored change without decoding it.
struct ChangeMeta {
  ActorId actor;
  std::uint64_t seq = 0;
  Hlc hlc;
  std::string branch;
};

Result<bool> HasChange(Db& db, const ChangeHash& hash);
Status InsertChange(Db& db, const EncodedChange& c);
// Loads and re-verifies a stored change; a stored change that no longer matches its
// hash is kCorruption.
Result<std::optional<EncodedChange>> LoadChange(Db& db, const ChangeHash& hash);
Result<std::optional<ChangeMeta>> LoadChangeMeta(Db& db, const ChangeHash& hash);
Result<std::optional<ChangeHash>> ChangeAtSeq(Db& db, const ActorId& actor, std::uint64_t seq);
Result<std::uint64_t> MaxSeq(Db& db, const ActorId& actor);
Result<std::int64_t> CountChanges(Db& db);
// Every change whose hex hash starts with `prefix` (at most `limit`).
Result<std::vector<ChangeHash>> FindChangesByPrefix(Db& db, std::string_view prefix, int limit);
// Each actor's greatest seq (its changes form an unbroken chain from 1), by actor.
Result<std::vector<std::pair<ActorId, std::uint64_t>>> MaxSeqPerActor(Db& db);
// Each actor's greatest stamp, by actor, among the changes stamped after `above`:
// a range of the stamp index, so the cost follows the answer, not the log.
Result<std::vector<std::pair<ActorId, Hlc>>> LatestStampPerActor(Db& db, Hlc above = Hlc());
// Visits every stored change in causal (insertion) order.
// Whether a `changes` row's index columns (actor, seq, hlc, branch, deps) say
// what its verified bytes say.
bool IndexColumnsAgree(const Change& c, ByteView actor, std::int64_t seq, std::int64_t hlc,
                       std::string_view branch, ByteView deps);
Status ForEachChange(Db& db, const std::function<Status(const EncodedChange&)>& visit);
// The same, checking each row's index columns (actor, seq, hlc, branch, deps)
// against its verified bytes, and once the visit is over rewriting those that
// disagree (they are derived from the bytes). Adds the number rewritten to
// `*repaired`: the visit saw the rows as they were.
Status ForEachChangeRepairingColumns(Db& db,
                                     const std::function<Status(const EncodedChange&)>& visit,
                                     std::int64_t* repaired);

// The changes of `actor` with seq >= `from_seq`, by seq.
Result<std::vector<EncodedChange>> ChangesOfActorFrom(Db& db, const ActorId& actor,
                                                      std::uint64_t from_seq);
// Stored or pending changes with a dep in `targets` (a scan of the log: for rare
// repairs, not for everyday paths). `pending` tells which table each came from.
struct DependentChange {
  ChangeHash hash;
  bool pending = false;
};
Result<std::vector<DependentChange>> ChangesDependingOn(Db& db,
                                                        const std::set<ChangeHash>& targets);
Status DeleteChange(Db& db, const ChangeHash& hash);

// Pending queue.
Status AddPending(Db& db, const EncodedChange& c, const std::vector<ChangeHash>& missing);
// Pending changes that were waiting on `arrived` and now have every dep present.
// They are removed from the queue; the caller applies them.
Result<std::vector<EncodedChange>> TakeUnblockedPending(Db& db, const ChangeHash& arrived);
Result<std::int64_t> CountPending(Db& db);
// A pending change's bytes, if `hash` is queued.
Result<std::optional<Bytes>> LoadPendingBytes(Db& db, const ChangeHash& hash);
// The deps of a stored change, from its `deps` column.
Result<std::vector<ChangeHash>> LoadDeps(Db& db, const ChangeHash& hash);
Result<std::optional<Bytes>> LoadChangeBytes(Db& db, const ChangeHash& hash);

}  // namespace weft
