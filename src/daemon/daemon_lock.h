// The daemon's pidfile (`daemon.pid` in the store directory): one daemon per
// store. The running daemon holds an exclusive POSIX lock on it for its whole life
// and writes who it is there; the lock, not the pid, says whether it runs, so a
// daemon killed with -9 leaves nothing that blocks the next one.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.h"

namespace weft::daemon {

struct DaemonInfo {
  std::int64_t pid = 0;
  std::int64_t started_ms = 0;  // Unix ms
  std::string url;              // where it listens; empty until it does
  std::string device_id;
};

std::string PidfilePath(const std::string& store_dir);
std::string LogPath(const std::string& store_dir);

class DaemonLock {
 public:
  // kFailedPrecondition, naming the running daemon, when one holds the lock;
  // kIo when the pidfile is not a regular file (a symlink, a FIFO) or cannot be made.
  static Result<DaemonLock> Acquire(const std::string& store_dir);
  DaemonLock(DaemonLock&& other) noexcept;
  DaemonLock& operator=(DaemonLock&&) = delete;
  DaemonLock(const DaemonLock&) = delete;
  DaemonLock& operator=(const DaemonLock&) = delete;
  ~DaemonLock();

  // Replaces the pidfile's contents (one JSON line).
  Status Write(const DaemonInfo& info);

 private:
  explicit DaemonLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

// The daemon running on this store, if one holds the lock (its info as written;
// `pid` is known even before it listens).
Result<std::optional<DaemonInfo>> RunningDaemon(const std::string& store_dir);
// The daemon's part of `status --json` (and the dashboard's overview):
// {"running", and when it runs "pid", "url", "since"}.
nlohmann::json DaemonJson(const std::optional<DaemonInfo>& running);

}  // namespace weft::daemon
