// Change: the unit of history and of sync. A content-addressed group of ops.
//
// Encoding (docs/formats.md):
//   change := u8(format_version = 1) hashlist(deps) actor(16 bytes) varint(seq)
//             varint(hlc) string(branch) string(message) varint(op_count) op{op_count}
// The change hash is SHA-256 over exactly those bytes. Decoding accepts only the
// canonical encoding, so a change has one byte form and one hash.
//
// Invariants a decoded change satisfies: seq >= 1; deps strictly ascending; branch
// and every location valid; at most kMaxOps ops; message at most kMaxMessage bytes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/hlc.h"
#include "model/ids.h"
#include "model/op.h"

namespace weft {

inline constexpr std::uint8_t kChangeFormatVersion = 1;

struct Change {
  static constexpr std::size_t kMaxOps = 1'000'000;
  static constexpr std::size_t kMaxMessage = 64 * 1024;

  std::vector<ChangeHash> deps;  // strictly ascending
  ActorId actor;
  std::uint64_t seq = 0;
  Hlc hlc;
  std::string branch;
  std::string message;
  std::vector<Op> ops;

  bool operator==(const Change&) const = default;
};

// Requires: change.deps is sorted and unique (NormalizeDeps makes it so).
Bytes EncodeChange(const Change& change);
Result<Change> DecodeChange(ByteView bytes);
ChangeHash HashChangeBytes(ByteView bytes);
void NormalizeDeps(std::vector<ChangeHash>& deps);

// A change together with its encoded bytes and hash, as stored and sent.
struct EncodedChange {
  ChangeHash hash;
  Bytes bytes;
  Change change;

  static EncodedChange FromChange(Change change);
  // Decodes and hashes `bytes`; fails with kCorruption if they do not decode.
  static Result<EncodedChange> FromBytes(Bytes bytes);
  // Decodes `bytes` that arrived named as `claimed` (from a peer or a file); fails
  // with kCorruption if they do not decode or hash to something else.
  static Result<EncodedChange> FromClaimedBytes(Bytes bytes, const ChangeHash& claimed);
};

}  // namespace weft
