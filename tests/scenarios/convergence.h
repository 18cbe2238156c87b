// The seeded convergence property: random edits on 3-5 instances, random pairwise
// sessions with lost, duplicated, stale and interrupted messages, then a clean
// all-pairs sync. Every instance must end with the same changes, byte-identical
// projections and the same conflict records; a further sync must move nothing, and
// a rebuild must reproduce the projections. The edits include unbinds, renames,
// deprecations, branches, merges, conflict resolutions, recursive groups edited on
// several instances, helpers with dependents, work staged across syncs, a second
// writer on one store, and backups restored in place that author again.
#pragma once

#include <cstdint>
#include <string>

namespace weft::scenarios {

// What the seeds exercised, so a test can check the property was not vacuous.
struct ConvergenceStats {
  int conflicts = 0;    // conflict records at the end, summed over seeds (node0)
  int open = 0;         // of which still open
  int resolutions = 0;  // `resolve` changes committed
  int merges = 0;       // merge changes committed
  int restores = 0;     // backups restored in place, then authored on
  int reissues = 0;     // restored stores that re-issued their work
  int overtaken = 0;    // Base ops: staged edits a sync overtook, committed as races (node0)
  int repointed = 0;    // Repoint ops: propagated binds (node0)
  int tied = 0;         // conflict records tied to a cause (node0)
  std::size_t max_clean_rounds = 0;   // most rounds one clean final session took
  std::size_t max_resync_rounds = 0;  // most rounds a re-sync with nothing to move took
};

// Runs one seed; returns an empty string on success, else what went wrong.
std::string RunConvergenceSeed(std::uint32_t seed, ConvergenceStats* stats = nullptr);

}  // namespace weft::scenarios
