// What `weft status` and `weft rebuild` report about a store, as data.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/hash.h"
#include "model/ids.h"
#include "store/store.h"

namespace weft::workspace {

// Another instance whose latest change is stamped more than 5 minutes after `now`
// (Unix ms): its edits win races until real time catches up.
struct ClockAhead {
  std::string instance;
  std::uint64_t minutes = 0;
};
Result<std::vector<ClockAhead>> ClocksAhead(Store& store, std::uint64_t now_ms);

struct StatusReport {
  std::string dir;
  std::int64_t release = 0;
  std::string instance;
  ActorId actor;
  std::string branch;
  std::int64_t changes = 0;  // in the log
  std::int64_t folded = 0;   // in the projections
  std::int64_t pending = 0;  // waiting for missing deps
  std::int64_t staged = 0;
  std::vector<std::string> staged_overtaken;  // staged edits a sync overtook
  std::optional<std::string> staged_damage;   // a staged op that does not decode
  std::optional<std::string> damage;          // the log could not be read whole
  std::vector<ChangeHash> heads;
  std::vector<ChangeHash> branch_heads;
  std::int64_t conflicts_awaiting_review = 0;
  std::vector<ClockAhead> clocks_ahead;
  // The last `weft fsck`: when, and how many findings it left.
  std::optional<std::int64_t> fsck_at_ms;
  std::int64_t fsck_findings = 0;
  // Rows a repair set aside that no sync has brought back yet.
  std::int64_t quarantined_missing = 0;
};
Result<StatusReport> GetStatus(Store& store);

struct RebuildReport {
  std::int64_t folded = 0;
  Digest digest{};
  std::int64_t repaired_columns = 0;
};
// Drops every projection and re-folds the log, in one transaction.
Result<RebuildReport> RebuildProjections(Store& store);

}  // namespace weft::workspace
