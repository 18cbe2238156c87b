#include "sync/message.h"

#include <zstd.h>

#include "core/codec.h"

namespace weft::sync {
namespace {

template <typename H>
void PutHashes(Writer& w, std::vector<H> hashes) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  w.PutVarint(hashes.size());
  for (const auto& h : hashes) w.PutDigest(h.digest());
}

template <typename H>
Result<std::vector<H>> GetHashes(Reader& r) {
  auto list = r.GetDigestList();
  if (!list) return Fail(ErrorCode::kProtocol, "bad hash list: {}", list.error().message());
  std::vector<H> out;
  out.reserve(list->size());
  for (const auto& d : *list) out.emplace_back(d);
  return out;
}

// Turns codec errors (kCorruption) into protocol errors.
template <typename T>
Result<T> Proto(Result<T> r) {
  if (!r) return Fail(ErrorCode::kProtocol, "malformed message: {}", r.error().message());
  return r;
}

}  // namespace

std::uint64_t ChangesAhead(const Hello& have, const Hello& lacks) {
  std::uint64_t n = 0;
  std::size_t j = 0;
  for (const auto& [actor, seq] : have.clock) {
    while (j < lacks.clock.size() && lacks.clock[j].first < actor) ++j;
    const std::uint64_t theirs =
        j < lacks.clock.size() && lacks.clock[j].first == actor ? lacks.clock[j].second : 0;
    if (seq > theirs) n += seq - theirs;
  }
  return n;
}

Bytes EncodeMessage(const Message& m) {
  Writer payload;
  payload.PutVarint(m.changes.size());
  for (const auto& c : m.changes) payload.PutBytes(c);
  payload.PutVarint(m.blobs.size());
  for (const auto& b : m.blobs) {
    payload.PutDigest(b.hash.digest());
    payload.PutU8(static_cast<std::uint8_t>(b.kind));
    payload.PutBytes(b.canonical);
    payload.PutBytes(b.display);
  }
  const Bytes& raw = payload.bytes();
  Bytes compressed(ZSTD_compressBound(raw.size()));
  std::size_t n = ZSTD_compress(compressed.data(), compressed.size(), raw.data(), raw.size(), 3);
  compressed.resize(ZSTD_isError(n) ? 0 : n);

  Writer w;
  w.PutVarint(static_cast<std::uint64_t>(m.release));
  const std::uint8_t flags =
      static_cast<std::uint8_t>((m.flags & ~kFlagHello) | (m.hello ? kFlagHello : 0));
  w.PutU8(flags);
  if (m.hello) {
    w.PutString(m.hello->instance);
    w.PutRaw(m.hello->actor.bytes());
    w.PutVarint(m.hello->changes);
    w.PutVarint(m.hello->clock.size());
    for (const auto& [actor, seq] : m.hello->clock) {
      w.PutRaw(actor.bytes());
      w.PutVarint(seq);
    }
  }
  PutHashes(w, m.heads);
  PutHashes(w, m.need);
  w.PutVarint(m.have.size());
  for (const auto& h : m.have) {
    PutHashes(w, h.last_sync);
    h.bloom.Encode(w);
  }
  PutHashes(w, m.blob_need);
  w.PutBytes(compressed);
  return w.Take();
}

Result<Message> DecodeMessage(ByteView bytes, std::int64_t our_release) {
  Reader r(bytes);
  Message m;
  WEFT_ASSIGN_OR_RETURN(std::uint64_t release, Proto(r.GetVarint()));
  if (static_cast<std::int64_t>(release) != our_release) {
    return Fail(ErrorCode::kVersionMismatch,
                "the peer is on Release {}, and this weft is on Release {}: upgrade the older one",
                release, our_release);
  }
  m.release = static_cast<std::int64_t>(release);
  WEFT_ASSIGN_OR_RETURN(m.flags, Proto(r.GetU8()));
  if (m.flags & ~(kFlagReset | kFlagReadOnly | kFlagHello))
    return Fail(ErrorCode::kProtocol, "unknown message flags {}", m.flags);
  if (m.flags & kFlagHello) {
    Hello h;
    WEFT_ASSIGN_OR_RETURN(h.instance, Proto(r.GetString()));
    if (h.instance.empty() || h.instance.size() > Hello::kMaxInstance)
      return Fail(ErrorCode::kProtocol, "hello names an instance of {} bytes", h.instance.size());
    WEFT_ASSIGN_OR_RETURN(ByteView actor, Proto(r.GetRaw(ActorId::kSize)));
    WEFT_ASSIGN_OR_RETURN(h.actor, Proto(ActorId::FromBytes(actor)));
    WEFT_ASSIGN_OR_RETURN(h.changes, Proto(r.GetVarint()));
    WEFT_ASSIGN_OR_RETURN(std::uint64_t k, Proto(r.GetVarint()));
    if (k > r.remaining() / (ActorId::kSize + 1))
      return Fail(ErrorCode::kProtocol, "hello clock of {} actors runs past the message", k);
    for (std::uint64_t i = 0; i < k; ++i) {
      WEFT_ASSIGN_OR_RETURN(ByteView a, Proto(r.GetRaw(ActorId::kSize)));
      WEFT_ASSIGN_OR_RETURN(ActorId id, Proto(ActorId::FromBytes(a)));
      WEFT_ASSIGN_OR_RETURN(std::uint64_t seq, Proto(r.GetVarint()));
      if (!h.clock.empty() && !(h.clock.back().first < id))
        return Fail(ErrorCode::kProtocol, "hello clock actors are not strictly ascending");
      h.clock.emplace_back(id, seq);
    }
    m.hello = std::move(h);
  }
  WEFT_ASSIGN_OR_RETURN(m.heads, GetHashes<ChangeHash>(r));
  WEFT_ASSIGN_OR_RETURN(m.need, GetHashes<ChangeHash>(r));
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n_have, Proto(r.GetVarintAtMost(64, "have count")));
  for (std::uint64_t i = 0; i < n_have; ++i) {
    Have h;
    WEFT_ASSIGN_OR_RETURN(h.last_sync, GetHashes<ChangeHash>(r));
    WEFT_ASSIGN_OR_RETURN(ByteView bloom, Proto(r.GetBytes()));
    WEFT_ASSIGN_OR_RETURN(h.bloom, Proto(Bloom::Decode(bloom)));
    m.have.push_back(std::move(h));
  }
  WEFT_ASSIGN_OR_RETURN(m.blob_need, GetHashes<ItemHash>(r));
  WEFT_ASSIGN_OR_RETURN(ByteView compressed, Proto(r.GetBytes()));
  if (!r.AtEnd()) return Fail(ErrorCode::kProtocol, "message has {} trailing bytes", r.remaining());

  Bytes raw;
  if (!compressed.empty()) {
    unsigned long long size = ZSTD_getFrameContentSize(compressed.data(), compressed.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
      return Fail(ErrorCode::kProtocol, "change payload is not a zstd frame with a known size");
    }
    if (size > kMaxDecompressedBytes) {
      return Fail(ErrorCode::kProtocol, "change payload would decompress to {} bytes (cap {})",
                  size, kMaxDecompressedBytes);
    }
    raw.resize(size);
    std::size_t got = ZSTD_decompress(raw.data(), raw.size(), compressed.data(), compressed.size());
    if (ZSTD_isError(got) || got != size)
      return Fail(ErrorCode::kProtocol, "change payload does not decompress");
  }
  Reader p(raw);
  if (!raw.empty()) {
    WEFT_ASSIGN_OR_RETURN(std::uint64_t n, Proto(p.GetVarint()));
    if (n > p.remaining())
      return Fail(ErrorCode::kProtocol, "change count {} exceeds the payload", n);
    for (std::uint64_t i = 0; i < n; ++i) {
      WEFT_ASSIGN_OR_RETURN(ByteView c, Proto(p.GetBytes()));
      m.changes.emplace_back(c.begin(), c.end());
    }
    WEFT_ASSIGN_OR_RETURN(std::uint64_t b, Proto(p.GetVarint()));
    if (b > p.remaining())
      return Fail(ErrorCode::kProtocol, "blob count {} exceeds the payload", b);
    for (std::uint64_t i = 0; i < b; ++i) {
      BlobRecord rec;
      WEFT_ASSIGN_OR_RETURN(Digest d, Proto(p.GetDigest()));
      rec.hash = ItemHash(d);
      WEFT_ASSIGN_OR_RETURN(std::uint8_t kind, Proto(p.GetU8()));
      auto k = ItemKindFromByte(kind);
      if (!k) return Fail(ErrorCode::kProtocol, "blob has unknown kind {}", kind);
      rec.kind = *k;
      WEFT_ASSIGN_OR_RETURN(ByteView canonical, Proto(p.GetBytes()));
      WEFT_ASSIGN_OR_RETURN(ByteView display, Proto(p.GetBytes()));
      rec.canonical.assign(canonical.begin(), canonical.end());
      rec.display.assign(display.begin(), display.end());
      m.blobs.push_back(std::move(rec));
    }
    if (!p.AtEnd())
      return Fail(ErrorCode::kProtocol, "change payload has {} trailing bytes", p.remaining());
  }
  return m;
}

}  // namespace weft::sync
