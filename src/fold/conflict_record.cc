#include "fold/conflict_record.h"

#include <algorithm>

#include "core/hash.h"

namespace weft {

const char* ConflictStateName(ConflictState state) {
  switch (state) {
    case ConflictState::kOpen:
      return "open";
    case ConflictState::kResolved:
      return "resolved";
    case ConflictState::kSuperseded:
      return "superseded";
  }
  return "?";
}

std::string ResolutionLabel(const ConflictResolution& r) {
  switch (r.kind) {
    case ResolutionKind::kHuman:
      return "human";
    case ResolutionKind::kMerge:
      return "merge:" + r.merged;
    case ResolutionKind::kLastWriterWins:
      break;
  }
  return "auto:last-writer-wins";
}

Result<ConflictResolution> ResolutionFromColumns(std::int64_t kind, std::string merged) {
  if (kind < 1 || kind > 3)
    return Fail(ErrorCode::kCorruption, "stored conflict resolution {} is damaged", kind);
  return ConflictResolution{static_cast<ResolutionKind>(kind), std::move(merged)};
}

Result<ConflictState> ConflictStateFromColumn(std::int64_t state) {
  if (state < 1 || state > 3)
    return Fail(ErrorCode::kCorruption, "stored conflict state {} is damaged", state);
  return static_cast<ConflictState>(state);
}

ConflictState ConflictRecord::State() const {
  if (!resolver) return ConflictState::kOpen;
  return resolver->resolution.kind == ResolutionKind::kLastWriterWins ? ConflictState::kSuperseded
                                                                      : ConflictState::kResolved;
}

ConflictResolution ConflictRecord::Resolution() const {
  return resolver ? resolver->resolution : ConflictResolution{};
}

ChangeHash ConflictRecord::WinnerChange() const {
  return resolver ? resolver->winner : Winner(candidates).change;
}

ConflictId ConflictIdOf(const SlotKey& key, std::vector<FrontierEntry>& candidates) {
  std::sort(candidates.begin(), candidates.end(),
            [](const auto& a, const auto& b) { return a.change < b.change; });
  Writer w;
  w.PutString("weft.conflict.v1");
  w.PutString(key.branch);
  w.PutU8(static_cast<std::uint8_t>(key.slot));
  w.PutString(key.location);
  w.PutVarint(candidates.size());
  for (const auto& c : candidates) w.PutDigest(c.change.digest());
  return ConflictId(Sha256Of(w.bytes()));
}

ConflictRecord OpenRecord(const SlotKey& key, std::vector<FrontierEntry> frontier) {
  ConflictRecord r;
  r.id = ConflictIdOf(key, frontier);
  r.candidates = std::move(frontier);
  return r;
}

ConflictResolver ResolverOf(const Change& change, const ChangeHash& change_hash,
                            const FrontierEntry& e, const ConflictId& id,
                            const std::vector<FrontierEntry>& candidates) {
  ConflictResolver r{change_hash, e.hlc, {}, Winner(candidates).change};
  for (const Op& op : change.ops) {
    if (const auto* res = std::get_if<Resolve>(&op); res && res->id == id) {
      r.resolution = ConflictResolution{ResolutionKind::kHuman, {}};
    } else if (const auto* m = std::get_if<MergeBranch>(&op);
               m && r.resolution.kind != ResolutionKind::kHuman) {
      r.resolution = ConflictResolution{ResolutionKind::kMerge, m->name};
    }
  }
  if (r.resolution.kind == ResolutionKind::kLastWriterWins) return r;
  // The side kept: the latest candidate whose outcome the resolving edit repeats.
  std::vector<FrontierEntry> chosen;
  for (const auto& c : candidates) {
    if (c.outcome == e.outcome) chosen.push_back(c);
  }
  if (!chosen.empty()) r.winner = Winner(chosen).change;
  return r;
}

void KeepGreaterResolver(std::optional<ConflictResolver>& kept, const ConflictResolver& r) {
  if (!kept || std::tie(kept->hlc, kept->change) < std::tie(r.hlc, r.change)) kept = r;
}

Bytes EncodeCandidates(const std::vector<FrontierEntry>& candidates) {
  Writer w;
  w.PutVarint(candidates.size());
  for (const auto& c : candidates) {
    w.PutDigest(c.change.digest());
    w.PutVarint(c.op_index);
    w.PutRaw(c.actor.bytes());
    w.PutVarint(c.seq);
    w.PutVarint(c.hlc.packed());
    w.PutBytes(c.outcome);
  }
  return w.Take();
}

Result<std::vector<FrontierEntry>> DecodeCandidates(ByteView bytes) {
  Reader r(bytes);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n, r.GetVarint());
  if (n > bytes.size()) return Fail(ErrorCode::kCorruption, "conflict candidates are damaged");
  std::vector<FrontierEntry> out;
  for (std::uint64_t i = 0; i < n; ++i) {
    FrontierEntry e;
    WEFT_ASSIGN_OR_RETURN(Digest d, r.GetDigest());
    e.change = ChangeHash(d);
    WEFT_ASSIGN_OR_RETURN(std::uint64_t op, r.GetVarint());
    e.op_index = static_cast<std::uint32_t>(op);
    WEFT_ASSIGN_OR_RETURN(ByteView actor, r.GetRaw(ActorId::kSize));
    WEFT_ASSIGN_OR_RETURN(e.actor, ActorId::FromBytes(actor));
    WEFT_ASSIGN_OR_RETURN(e.seq, r.GetVarint());
    WEFT_ASSIGN_OR_RETURN(std::uint64_t hlc, r.GetVarint());
    e.hlc = Hlc(hlc);
    WEFT_ASSIGN_OR_RETURN(ByteView outcome, r.GetBytes());
    e.outcome.assign(outcome.begin(), outcome.end());
    out.push_back(std::move(e));
  }
  WEFT_TRY(r.ExpectEnd("conflict candidates"));
  return out;
}

}  // namespace weft
