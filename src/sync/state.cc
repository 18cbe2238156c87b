#include "sync/state.h"

#include "core/codec.h"

namespace weft::sync {

Bytes EncodeState(const SyncState& s) {
  Writer w;
  w.PutU8(1);
  std::vector<Digest> heads;
  for (const auto& h : s.shared_heads) heads.push_back(h.digest());
  SortUnique(heads);
  w.PutDigestList(heads);
  return w.Take();
}

Result<SyncState> DecodeState(ByteView bytes, SyncOptions options) {
  SyncState s;
  s.options = options;
  if (bytes.empty()) return s;
  Reader r(bytes);
  WEFT_ASSIGN_OR_RETURN(std::uint8_t version, r.GetU8());
  if (version != 1) return Fail(ErrorCode::kCorruption, "unknown sync state version {}", version);
  WEFT_ASSIGN_OR_RETURN(auto heads, r.GetDigestList());
  WEFT_TRY(r.ExpectEnd("sync state"));
  for (const auto& d : heads) s.shared_heads.emplace_back(d);
  return s;
}

void ResetSession(SyncState& s) {
  SyncState fresh;
  fresh.shared_heads = std::move(s.shared_heads);
  fresh.options = s.options;
  // What we refused, or cannot send, is about content, not transport.
  fresh.rejected = std::move(s.rejected);
  fresh.unsendable = std::move(s.unsendable);
  s = std::move(fresh);
}

}  // namespace weft::sync
