// What a push must satisfy before the hub stores a byte of it (docs/design/hub.md,
// "Push"): every change decodes and each item it adds comes with a blob that
// hashes to the item; a change the tenant holds already is dropped (a no-op); the
// rest have every dep in the tenant or in the same push, and each actor's
// sequence continues the tenant's without a gap. All or nothing: one bad change
// refuses the push, naming what is wrong or missing.
//
// Pure: the caller (hub/hub_db.cc) reads what the tenant holds under the tenant's
// lock and hands it in. Nothing here does I/O.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/change.h"
#include "sync/message.h"

namespace weft::hub {

// One change ready to store: its bytes, hash and index fields, and the blobs of
// the items it adds, encoded (EncodeBlobs).
struct Accepted {
  ChangeHash hash;
  ActorId actor;
  std::uint64_t actor_seq = 0;
  std::vector<ChangeHash> deps;
  Bytes bytes;
  Bytes blobs;
};

enum class PushRefusal : std::uint8_t {
  kMalformed,       // a change or blob does not decode
  kBadHash,         // a blob does not hash to the item it claims to be
  kMissingBlob,     // a change adds an item whose blob is not in the push
  kMissingDeps,     // a dep is neither in the tenant nor in the push
  kNotContiguous,   // an actor's sequence skips or repeats a number
  kChangeTooLarge,  // one change (with its blobs) is over the per-change cap
};
const char* PushRefusalName(PushRefusal r);  // "missing_deps", … (Weft-Refusal)

struct PushVerdict {
  std::vector<Accepted> accepted;  // in an order where deps come first
  std::size_t duplicates = 0;      // already in the tenant
  std::optional<PushRefusal> refusal;
  std::string sentence;              // one line, when refused
  std::vector<std::string> missing;  // hex hashes the hub lacks (deps or blobs)
};

struct TenantView {
  // Of the hashes asked about, those the tenant holds.
  std::set<ChangeHash> present;
  // Each actor's greatest sequence number in the tenant (absent: none).
  std::map<ActorId, std::uint64_t> clock;
};

// The hashes a push names (its changes and their deps) and its actors: what the
// caller must look up before CheckPush.
struct PushQuestions {
  std::vector<ChangeHash> hashes;
  std::vector<ActorId> actors;
};
struct Decoded {
  std::vector<EncodedChange> changes;
  std::vector<sync::BlobRecord> blobs;
  // A blob that does not hash to its item or does not decode: CheckPush
  // refuses the push with it.
  std::optional<PushRefusal> blob_refusal;
  std::string blob_sentence;
  std::vector<std::string> blob_missing;
};
// Decodes and hashes a push's changes and verifies its blobs: the work that
// needs nothing of the tenant, done before the tenant's lock is taken.
// kMalformed is an error with its sentence.
Result<Decoded> DecodePush(sync::Message m);
PushQuestions Questions(const Decoded& d);
PushVerdict CheckPush(Decoded d, const TenantView& tenant, std::size_t max_change_bytes);

// The blob records of one change, as the hub keeps them: varint(n) then per blob
// hash(32) u8(kind) bytes(canonical) bytes(display).
Bytes EncodeBlobs(const std::vector<sync::BlobRecord>& blobs);
Result<std::vector<sync::BlobRecord>> DecodeBlobs(ByteView bytes);

}  // namespace weft::hub
