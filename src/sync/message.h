// A sync message and its wire format (docs/wire-format.md).
//
//   message  := varint(release) u8(flags) [hello] hashlist(heads) hashlist(need)
//               varint(n) have{n} hashlist(blob_need) bytes(payload)
//   hello    := string(instance) actor varint(changes) varint(k) {actor varint(seq)}{k}
//               (present when flags has kFlagHello; actors strictly ascending)
//   have     := hashlist(last_sync) bytes(bloom)
//   payload  := zstd frame of: varint(c) bytes(change){c} varint(b) blob{b}
//   blob     := hash(item) u8(kind) bytes(canonical) bytes(display)
// The Release comes first, so a peer on another Release is refused before
// anything else is read. Every count and length is checked against the bytes
// that remain and against the caps below.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "core/error.h"
#include "model/ids.h"
#include "model/item.h"
#include "sync/bloom.h"

namespace weft::sync {

inline constexpr std::size_t kMaxMessageBytes = 4u << 20;        // default cap on one message
inline constexpr std::size_t kMaxDecompressedBytes = 64u << 20;  // cap on a decompressed payload
// Room left in a payload for framing and the other records of a message.
inline constexpr std::size_t kPayloadSlack = 1u << 20;

enum MessageFlags : std::uint8_t {
  kFlagReset = 1,     // "I lost history: forget what you think you sent me"
  kFlagReadOnly = 2,  // "I will not apply changes you send"
  kFlagHello = 4,     // the message carries the sender's hello (its first of a session)
};

// Who the sender is and what it holds, sent once at the start of a session: what
// `weft sync check` and the sync report print, without opening the peer's store.
// `clock` is the greatest seq the sender holds of each actor; each actor's changes
// form an unbroken chain from seq 1, so comparing two clocks counts exactly the
// changes each side lacks.
struct Hello {
  static constexpr std::size_t kMaxInstance = 64;
  std::string instance;
  ActorId actor;
  std::uint64_t changes = 0;
  std::vector<std::pair<ActorId, std::uint64_t>> clock;  // actors strictly ascending
  bool operator==(const Hello&) const = default;
};
// Changes `have` holds that `lacks` does not, by their clocks.
std::uint64_t ChangesAhead(const Hello& have, const Hello& lacks);

struct Have {
  std::vector<ChangeHash> last_sync;
  Bloom bloom;
  bool operator==(const Have&) const = default;
};

struct BlobRecord {
  ItemHash hash;
  ItemKind kind = ItemKind::kVal;
  Bytes canonical;
  Bytes display;
};

struct Message {
  std::int64_t release = 0;
  std::uint8_t flags = 0;  // kFlagHello is set by the codec from `hello`
  std::optional<Hello> hello;
  std::vector<ChangeHash> heads;
  std::vector<ChangeHash> need;
  std::vector<Have> have;
  std::vector<ItemHash> blob_need;
  std::vector<Bytes> changes;
  std::vector<BlobRecord> blobs;
};

Bytes EncodeMessage(const Message& m);
// Fails with kVersionMismatch (naming both Releases) when `release` differs, and
// kProtocol for anything malformed.
Result<Message> DecodeMessage(ByteView bytes, std::int64_t our_release);

}  // namespace weft::sync
