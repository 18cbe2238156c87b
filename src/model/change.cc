#include "model/change.h"

#include <algorithm>

namespace weft {

void NormalizeDeps(std::vector<ChangeHash>& deps) {
  std::sort(deps.begin(), deps.end());
  deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
}

Bytes EncodeChange(const Change& change) {
  Writer w;
  w.PutU8(kChangeFormatVersion);
  w.PutVarint(change.deps.size());
  for (const ChangeHash& d : change.deps) w.PutDigest(d.digest());
  w.PutRaw(change.actor.bytes());
  w.PutVarint(change.seq);
  w.PutVarint(change.hlc.packed());
  w.PutString(change.branch);
  w.PutString(change.message);
  w.PutVarint(change.ops.size());
  for (const Op& op : change.ops) EncodeOp(op, w);
  return w.Take();
}

Result<Change> DecodeChange(ByteView bytes) {
  Reader r(bytes);
  WEFT_ASSIGN_OR_RETURN(std::uint8_t version, r.GetU8());
  if (version != kChangeFormatVersion) {
    return Fail(ErrorCode::kCorruption, "unknown change format version {}", version);
  }
  Change c;
  WEFT_ASSIGN_OR_RETURN(std::vector<Digest> deps, r.GetDigestList());
  c.deps.reserve(deps.size());
  for (const Digest& d : deps) c.deps.emplace_back(d);
  WEFT_ASSIGN_OR_RETURN(ByteView actor, r.GetRaw(ActorId::kSize));
  WEFT_ASSIGN_OR_RETURN(c.actor, ActorId::FromBytes(actor));
  WEFT_ASSIGN_OR_RETURN(c.seq, r.GetVarint());
  if (c.seq == 0) return Fail(ErrorCode::kCorruption, "change seq must start at 1");
  WEFT_ASSIGN_OR_RETURN(std::uint64_t hlc, r.GetVarint());
  c.hlc = Hlc(hlc);
  WEFT_ASSIGN_OR_RETURN(c.branch, r.GetString());
  if (auto ok = ValidateBranchName(c.branch); !ok) {
    return Fail(ErrorCode::kCorruption, "change names an invalid branch: {}", ok.error().message());
  }
  WEFT_ASSIGN_OR_RETURN(c.message, r.GetString());
  if (c.message.size() > Change::kMaxMessage) {
    return Fail(ErrorCode::kCorruption, "change message is longer than {} bytes",
                Change::kMaxMessage);
  }
  // Every op takes at least two bytes, which bounds the count by the input too.
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n, r.GetVarintAtMost(Change::kMaxOps, "op count"));
  if (n > r.remaining() / 2) {
    return Fail(ErrorCode::kCorruption, "op count {} runs past the end of the change", n);
  }
  c.ops.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    WEFT_ASSIGN_OR_RETURN(Op op, DecodeOp(r));
    c.ops.push_back(std::move(op));
  }
  WEFT_TRY(r.ExpectEnd("change"));
  return c;
}

ChangeHash HashChangeBytes(ByteView bytes) { return ChangeHash(Sha256Of(bytes)); }

EncodedChange EncodedChange::FromChange(Change change) {
  NormalizeDeps(change.deps);
  Bytes bytes = EncodeChange(change);
  ChangeHash hash = HashChangeBytes(bytes);
  return EncodedChange{hash, std::move(bytes), std::move(change)};
}

Result<EncodedChange> EncodedChange::FromBytes(Bytes bytes) {
  WEFT_ASSIGN_OR_RETURN(Change change, DecodeChange(bytes));
  ChangeHash hash = HashChangeBytes(bytes);
  return EncodedChange{hash, std::move(bytes), std::move(change)};
}

}  // namespace weft

namespace weft {

Result<EncodedChange> EncodedChange::FromClaimedBytes(Bytes bytes, const ChangeHash& claimed) {
  if (HashChangeBytes(bytes) != claimed) {
    return Fail(ErrorCode::kCorruption, "change {} does not match its bytes", claimed.Short());
  }
  return FromBytes(std::move(bytes));
}

}  // namespace weft
