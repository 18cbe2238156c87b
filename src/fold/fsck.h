// `weft fsck`: checks a store from its bytes up (docs/design/stable.md, "Repair").
//
// Every change is re-hashed and decoded, and its index columns compared with its
// bytes; every blob is re-hashed and decoded. Every dep of a change and every item
// a change or an item refers to must be present; no two changes of one actor share
// a seq; every change's HLC exceeds its deps'. The projections must equal a fresh
// fold of the log (their digests are compared; the fresh fold runs in a write
// transaction that is rolled back). Each finding names the change or item.
//
// Repair moves damaged changes and blobs to the quarantine (store/quarantine.h),
// puts the changes built on a quarantined change back in `pending` (they return
// when a sync brings it back), and re-folds the projections, all in one write
// transaction; then it checks again.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/store.h"

namespace weft {

struct FsckFinding {
  std::string what;    // "change", "blob", "dep", "item", "seq", "hlc", "projections", "database"
  std::string hash;    // hex of the change or item it concerns (empty for the database)
  std::string detail;  // one line
};

struct FsckReport {
  std::int64_t changes = 0;  // rows checked
  std::int64_t blobs = 0;
  std::vector<FsckFinding> findings;
  // Repair only: what was done.
  std::vector<std::string> quarantined;  // "change <hex>" / "blob <hex>"
  std::int64_t parked = 0;               // changes put back in pending
  bool refolded = false;
  // Quarantined rows still missing: they come back with the next sync of a peer
  // that holds them.
  std::int64_t awaiting_refetch = 0;
};

Result<FsckReport> CheckStore(Store& store);
// Repairs what can be repaired, then returns the check of the repaired store (its
// `quarantined`, `parked` and `refolded` say what the repair did).
Result<FsckReport> RepairStore(Store& store);
// Records when fsck ran and how many findings it left (meta `fsck_at`,
// `fsck_findings`), in one write transaction.
Status RecordFsck(Store& store, std::size_t findings);

}  // namespace weft
