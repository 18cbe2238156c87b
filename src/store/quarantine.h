// Rows `weft fsck --repair` found damaged: kept aside, never deleted, until a
// sync brings the real ones back (docs/design/stable.md, "Repair").
//
// A change whose bytes do not hash to its key (or do not decode) and a blob whose
// canonical bytes do not hash to its key are moved here with what was stored.
// The store then lacks them, so a sync with a peer that holds them fetches them
// again like any change it lacks. A damaged blob is set aside with the changes
// that add it, which come back with their blobs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/ids.h"
#include "store/sqlite.h"

namespace weft {

enum class QuarantineKind { kChange, kBlob };

struct QuarantinedRow {
  QuarantineKind kind = QuarantineKind::kChange;
  Digest hash{};  // the key it was stored under
  std::string reason;
  std::int64_t at_ms = 0;
  bool recovered = false;  // the store holds a sound row under that key again
};

// REQUIRES: inside a write transaction. `row` is the damaged row's content, kept
// as it was (a change's bytes; a blob's kind, canonical and display bytes).
Status QuarantineChange(Db& db, const ChangeHash& hash, ByteView bytes, const std::string& reason,
                        std::int64_t at_ms);
Status QuarantineBlob(Db& db, const ItemHash& hash, std::int64_t kind, ByteView canonical,
                      ByteView display, const std::string& reason, std::int64_t at_ms);
Result<std::vector<QuarantinedRow>> ListQuarantine(Db& db);

}  // namespace weft
