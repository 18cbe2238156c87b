// Controlling a daemon from the CLI: start it in the background, stop it, read
// its log (the pidfile and the log file are in the store directory).
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"
#include "daemon/daemon_lock.h"

namespace weft::daemon {

// Starts `exe --store DIR daemon run ARGS…` detached (its own session, output
// appended to daemon.log) and waits until it listens. kFailedPrecondition when
// one already runs; kUnavailable, with the log's last lines, when it exits or
// does not listen within `wait`.
Result<DaemonInfo> StartDetached(const std::string& exe, const std::string& store_dir,
                                 const std::vector<std::string>& run_args,
                                 std::chrono::milliseconds wait);
// Sends SIGTERM and waits for the lock to be released; kNotFound when none runs,
// kTimeout when it does not stop within `wait`.
Result<DaemonInfo> StopRunning(const std::string& store_dir, std::chrono::milliseconds wait);
// The last `lines` lines of daemon.log.
Result<std::vector<std::string>> TailLog(const std::string& store_dir, std::size_t lines);

// Moves daemon.log to daemon.log.1 when it is larger than `limit` bytes.
void RotateLog(const std::string& store_dir, std::uintmax_t limit = 10u << 20);

}  // namespace weft::daemon
