// Reading the conflicts projection, with the local review flags laid over it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fold/conflict_record.h"
#include "fold/frontier.h"
#include "store/sqlite.h"

namespace weft {

struct ConflictInfo {
  ConflictId id;
  std::string branch;
  Slot slot = Slot::kTerm;
  std::string location;
  std::vector<FrontierEntry> candidates;  // sorted by change hash
  ChangeHash winner;
  ConflictResolution resolution;
  ConflictState state = ConflictState::kOpen;
  std::optional<ChangeHash> resolver;
  bool acked = false;  // a person here acknowledged it (local)
  // A race that exists only through propagation is tied to the race on the name
  // it was re-pointed after (every candidate is a Repoint naming that cause, in
  // the same changes as the cause race's candidates). It is listed under its
  // cause, and resolving the cause resolves it.
  std::optional<ConflictId> cause;
  std::vector<ConflictId> dependents;

  bool open() const { return state == ConflictState::kOpen; }
  bool AwaitingReview() const { return open() && !acked && !cause; }
};

// Conflicts of `branch` (every branch when nullopt), by location then id, with
// dependents tied to their causes.
Result<std::vector<ConflictInfo>> ListConflicts(Db& db, const std::optional<std::string>& branch);
// The one conflict whose id starts with `prefix` (>= 8 hex digits). kNotFound when
// none, kInvalidArgument when the prefix is malformed or ambiguous.
Result<ConflictInfo> FindConflict(Db& db, const std::string& prefix);

// Every conflict's state by id, across branches: compared before and after a sync
// to say what the sync changed.
Result<std::map<ConflictId, ConflictState>> ConflictStates(Db& db);

// The word for a slot in output: "term", "type" or "deprecation".
const char* SlotName(Slot slot);

}  // namespace weft
