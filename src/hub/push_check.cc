#include "hub/push_check.h"

#include <fmt/format.h>

#include <map>

#include "core/codec.h"
#include "model/item.h"
#include "net/hub_sync.h"

namespace weft::hub {

const char* PushRefusalName(PushRefusal r) {
  switch (r) {
    case PushRefusal::kMalformed:
      return "malformed";
    case PushRefusal::kBadHash:
      return "bad_hash";
    case PushRefusal::kMissingBlob:
      return "missing_blob";
    case PushRefusal::kMissingDeps:
      return "missing_deps";
    case PushRefusal::kNotContiguous:
      return "not_contiguous";
    case PushRefusal::kChangeTooLarge:
      return "change_too_large";
  }
  return "malformed";
}

Bytes EncodeBlobs(const std::vector<sync::BlobRecord>& blobs) {
  Writer w;
  w.PutVarint(blobs.size());
  for (const auto& b : blobs) {
    w.PutDigest(b.hash.digest());
    w.PutU8(static_cast<std::uint8_t>(b.kind));
    w.PutBytes(b.canonical);
    w.PutBytes(b.display);
  }
  return w.Take();
}

Result<std::vector<sync::BlobRecord>> DecodeBlobs(ByteView bytes) {
  Reader r(bytes);
  WEFT_ASSIGN_OR_RETURN(std::uint64_t n, r.GetVarintAtMost(r.remaining(), "blob count"));
  std::vector<sync::BlobRecord> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    sync::BlobRecord b;
    WEFT_ASSIGN_OR_RETURN(Digest d, r.GetDigest());
    b.hash = ItemHash(d);
    WEFT_ASSIGN_OR_RETURN(std::uint8_t kind, r.GetU8());
    b.kind = static_cast<ItemKind>(kind);
    WEFT_ASSIGN_OR_RETURN(ByteView canonical, r.GetBytes());
    WEFT_ASSIGN_OR_RETURN(ByteView display, r.GetBytes());
    b.canonical.assign(canonical.begin(), canonical.end());
    b.display.assign(display.begin(), display.end());
    out.push_back(std::move(b));
  }
  WEFT_TRY(r.ExpectEnd("the blobs of a change"));
  return out;
}

Result<Decoded> DecodePush(sync::Message m) {
  Decoded d;
  d.blobs = std::move(m.blobs);
  for (const Bytes& bytes : m.changes) {
    auto c = EncodedChange::FromBytes(bytes);
    if (!c)
      return Fail(ErrorCode::kProtocol, "a pushed change does not decode: {}", c.error().message());
    d.changes.push_back(std::move(*c));
  }
  for (const auto& b : d.blobs) {
    if (HashItem(b.kind, b.canonical) != b.hash) {
      d.blob_refusal = PushRefusal::kBadHash;
      d.blob_sentence = fmt::format("blob {} does not hash to the item it names", b.hash.Short());
      d.blob_missing = {b.hash.Hex()};
      break;
    }
    if (!DecodeItem(b.kind, b.canonical, b.display)) {
      d.blob_refusal = PushRefusal::kMalformed;
      d.blob_sentence = fmt::format("blob {} does not decode", b.hash.Short());
      break;
    }
  }
  return d;
}

PushQuestions Questions(const Decoded& d) {
  std::set<ChangeHash> hashes;
  std::set<ActorId> actors;
  for (const auto& c : d.changes) {
    hashes.insert(c.hash);
    hashes.insert(c.change.deps.begin(), c.change.deps.end());
    actors.insert(c.change.actor);
  }
  return {{hashes.begin(), hashes.end()}, {actors.begin(), actors.end()}};
}

namespace {

PushVerdict Refuse(PushRefusal why, std::string sentence, std::vector<std::string> missing = {}) {
  PushVerdict v;
  v.refusal = why;
  v.sentence = std::move(sentence);
  v.missing = std::move(missing);
  return v;
}

}  // namespace

PushVerdict CheckPush(Decoded d, const TenantView& tenant, std::size_t max_change_bytes) {
  if (d.blob_refusal) {
    return Refuse(*d.blob_refusal, std::move(d.blob_sentence), std::move(d.blob_missing));
  }
  std::map<ItemHash, const sync::BlobRecord*> blobs;
  for (const auto& b : d.blobs) blobs.emplace(b.hash, &b);
  PushVerdict v;
  // The new changes, once each, by hash.
  std::map<ChangeHash, EncodedChange*> fresh;
  for (auto& c : d.changes) {
    if (tenant.present.contains(c.hash)) {
      ++v.duplicates;
    } else if (!fresh.emplace(c.hash, &c).second) {
      ++v.duplicates;  // twice in one push
    }
  }
  // Every dep somewhere; every added item's blob in the push.
  std::set<std::string> missing_deps;
  for (const auto& [hash, c] : fresh) {
    for (const auto& dep : c->change.deps) {
      if (!tenant.present.contains(dep) && !fresh.contains(dep)) missing_deps.insert(dep.Hex());
    }
  }
  if (!missing_deps.empty()) {
    return Refuse(PushRefusal::kMissingDeps,
                  fmt::format("{} change(s) this push depends on are neither on the hub nor in "
                              "the push (the first: {})",
                              missing_deps.size(), missing_deps.begin()->substr(0, 8)),
                  {missing_deps.begin(), missing_deps.end()});
  }
  // Each actor's new sequence numbers continue the tenant's without a gap.
  std::map<ActorId, std::vector<std::uint64_t>> seqs;
  for (const auto& [hash, c] : fresh) seqs[c->change.actor].push_back(c->change.seq);
  for (auto& [actor, list] : seqs) {
    std::sort(list.begin(), list.end());
    auto it = tenant.clock.find(actor);
    std::uint64_t next = (it == tenant.clock.end() ? 0 : it->second) + 1;
    for (std::uint64_t s : list) {
      if (s != next) {
        return Refuse(PushRefusal::kNotContiguous,
                      fmt::format("actor {} continues at sequence {}, but the push has {}",
                                  actor.Hex().substr(0, 8), next, s));
      }
      ++next;
    }
  }
  // Deps first, in the order a device pushes them (net::CausalOrder).
  std::vector<EncodedChange> unordered;
  for (auto& [hash, c] : fresh) unordered.push_back(std::move(*c));
  const std::size_t count = unordered.size();
  for (EncodedChange& c : net::CausalOrder(std::move(unordered))) {
    const ChangeHash& h = c.hash;
    std::vector<sync::BlobRecord> own;
    std::size_t size = c.bytes.size();
    for (const Op& op : c.change.ops) {
      const auto* add = std::get_if<AddItem>(&op);
      if (add == nullptr) continue;
      auto b = blobs.find(add->item);
      if (b == blobs.end()) {
        return Refuse(PushRefusal::kMissingBlob,
                      fmt::format("change {} adds item {}, whose blob is not in the push",
                                  h.Short(), add->item.Short()),
                      {add->item.Hex()});
      }
      own.push_back(*b->second);
      size += b->second->canonical.size() + b->second->display.size();
    }
    if (size > max_change_bytes) {
      return Refuse(PushRefusal::kChangeTooLarge,
                    fmt::format("change {} is {} bytes with its blobs, over the hub's cap of {}",
                                h.Short(), size, max_change_bytes));
    }
    v.accepted.push_back(Accepted{h, c.change.actor, c.change.seq, c.change.deps,
                                  std::move(c.bytes), EncodeBlobs(own)});
  }
  // A cycle cannot be built from hashes; a change naming itself as a dep can
  // (CausalOrder leaves such changes out).
  if (v.accepted.size() != count) {
    return Refuse(PushRefusal::kMalformed, "the push's changes depend on each other in a cycle");
  }
  return v;
}

}  // namespace weft::hub
