// The log as a person reads it, and turning staged work into a change.
#pragma once

#include <string>
#include <vector>

#include "fold/conflict_queries.h"
#include "model/change.h"
#include "store/store.h"

namespace weft::workspace {

struct LogLine {
  ChangeHash hash;
  Change change;
  std::string author;  // an instance name (labels.h)
};
// The newest `limit` changes, newest first; only those on `branch` and by
// `instance` (an author label) when they are given.
struct LogFilter {
  std::string branch;
  std::string instance;
};
Result<std::vector<LogLine>> RecentLog(Store& store, int limit, const LogFilter& filter = {});

// One name's history on the current branch: the changes that edited it, newest
// first, and the races recorded on it (with their state: open, acked, resolved).
struct NameLog {
  std::vector<LogLine> changes;
  std::vector<ConflictInfo> races;
};
Result<NameLog> LogOfName(Store& store, const std::string& name);

// Commits the current branch's staged ops as one change (fold/ledger.h, Commit).
Result<EncodedChange> CommitStaged(Store& store, const std::string& message);
// Drops the current branch's staged ops, damaged ones included; returns how many.
Result<std::int64_t> DiscardStaged(Store& store);

}  // namespace weft::workspace
