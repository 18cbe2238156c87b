// Conflict records: the races the fold found, kept as a projection.
//
// For one (branch, slot, location), let H be every edit of the slot in the
// branch's view. A set C of edits is a race when its members carry different
// outcomes and either
//   - C is the frontier (the maximal edits of H): the race is *open*, and the
//     visible outcome is the last-writer-wins winner; or
//   - C is F(e), the maximal edits of H strictly before some edit e: e followed
//     every candidate, so the race is settled. Among such e, the greatest
//     (hlc, change hash) is the record's resolver.
// Both are functions of the set H and the causal order alone, so every instance
// holding the same changes derives the same records, in any arrival order, and
// `rebuild` reproduces them. A record's id hashes (branch, slot, location, the
// sorted candidate change hashes): docs/formats.md "Conflict ids".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fold/frontier.h"
#include "model/change.h"

namespace weft {

// Where a race stands. Stored as integers in the `conflicts` projection.
enum class ConflictState : std::uint8_t {
  kOpen = 1,        // the frontier is divergent now
  kResolved = 2,    // a person or a merge settled it
  kSuperseded = 3,  // a later ordinary edit followed every candidate
};
// "open", "resolved", "superseded": for output and JSON.
const char* ConflictStateName(ConflictState state);

// Who settled a race. Stored as integers in the `conflicts` projection.
enum class ResolutionKind : std::uint8_t {
  kLastWriterWins = 1,  // nobody yet, or a later ordinary edit
  kHuman = 2,           // a change holding Resolve{id}
  kMerge = 3,           // a merge change (of `merged`)
};
struct ConflictResolution {
  ResolutionKind kind = ResolutionKind::kLastWriterWins;
  std::string merged;  // the branch, for kMerge
  bool operator==(const ConflictResolution&) const = default;
};
// "auto:last-writer-wins", "human", "merge:<branch>": for output and JSON.
std::string ResolutionLabel(const ConflictResolution& r);

struct ConflictResolver {
  ChangeHash change;  // holds the edit that followed every candidate
  Hlc hlc;
  ConflictResolution resolution;
  ChangeHash winner;  // the candidate whose side the resolver kept
};

struct ConflictRecord {
  ConflictId id;
  std::vector<FrontierEntry> candidates;  // sorted by change hash
  std::optional<ConflictResolver> resolver;

  ConflictState State() const;
  ConflictResolution Resolution() const;
  // The candidate in effect: the last-writer-wins winner while open, else the
  // candidate whose outcome the resolver chose (the winner when it chose neither).
  ChangeHash WinnerChange() const;
};

// Sorts `candidates` by change hash and hashes them with the slot key.
ConflictId ConflictIdOf(const SlotKey& key, std::vector<FrontierEntry>& candidates);

// An open record for a divergent frontier.
ConflictRecord OpenRecord(const SlotKey& key, std::vector<FrontierEntry> frontier);

// The resolver an edit `e` of `change` makes of the race `candidates` (=F(e)).
ConflictResolver ResolverOf(const Change& change, const ChangeHash& change_hash,
                            const FrontierEntry& e, const ConflictId& id,
                            const std::vector<FrontierEntry>& candidates);

// A resolution as the `conflicts` projection stores it (kCorruption when damaged).
Result<ConflictResolution> ResolutionFromColumns(std::int64_t kind, std::string merged);
Result<ConflictState> ConflictStateFromColumn(std::int64_t state);

// Keeps the greater of two resolvers of one race, by (hlc, change hash).
void KeepGreaterResolver(std::optional<ConflictResolver>& kept, const ConflictResolver& r);

// The candidates column: varint(n) { hash(change) varint(op_index) actor varint(seq)
// varint(hlc) bytes(outcome) }.
Bytes EncodeCandidates(const std::vector<FrontierEntry>& candidates);
Result<std::vector<FrontierEntry>> DecodeCandidates(ByteView bytes);

}  // namespace weft
