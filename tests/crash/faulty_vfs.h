// A test-only SQLite VFS that counts the writes and fsyncs of every file SQLite
// opens, and at the Nth one either fails it (an I/O error, or SQLITE_FULL for a
// write) or simulates a power cut: every write not yet made durable by an fsync
// is undone on disk, and the process exits at once. The technique of SQLite's own
// crash tests and LevelDB's fault-injecting Env (docs/design/stable.md).
#pragma once

#include <cstdint>

namespace weft::testing {

enum class Fault {
  kNone,      // count only
  kFail,      // the Nth write or fsync fails; everything else goes on
  kPowerCut,  // at the Nth, unsynced writes are dropped and the process _exits
};

struct FaultPlan {
  Fault fault = Fault::kNone;
  std::uint64_t at = 0;    // 1-based index of the write or fsync that faults
  bool full_disk = false;  // kFail of a write reports SQLITE_FULL
  int exit_code = 86;      // kPowerCut's exit status
};

// Registers the VFS as SQLite's default, wrapping the one that was. Once per
// process; the plan may change between operations.
void InstallFaultyVfs();
void SetFaultPlan(const FaultPlan& plan);
// Writes and fsyncs seen since the last SetFaultPlan.
std::uint64_t FaultyOps();
// Whether the planned fault happened.
bool FaultFired();

}  // namespace weft::testing
