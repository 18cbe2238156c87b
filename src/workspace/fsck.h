// `weft fsck [--repair]` as the domain offers it: the check (fold/fsck.h) and a
// record of its outcome that `weft status` reads.
#pragma once

#include <cstdint>
#include <optional>

#include "fold/fsck.h"

namespace weft::workspace {

// Checks (or repairs, then checks) the store, and records when and with how many
// findings in meta (`fsck_at`, `fsck_findings`), in its own write transaction.
Result<FsckReport> Fsck(Store& store, bool repair);

struct LastFsck {
  std::int64_t at_ms = 0;
  std::int64_t findings = 0;
};
Result<std::optional<LastFsck>> LastFsckOf(Store& store);

}  // namespace weft::workspace
