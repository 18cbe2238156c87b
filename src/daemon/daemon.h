// The daemon (`weft daemon run`): the sync server of `weft serve` plus autosync
// with every registered peer, one per store (docs/design/daemon.md).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "daemon/daemon_lock.h"
#include "workspace/serve.h"

namespace weft::daemon {

struct DaemonOptions {
  std::string store_dir;
  workspace::ServeRequest serve;  // listen address, TLS, trust, limits
  std::chrono::milliseconds floor{2000};
  std::chrono::milliseconds ceiling{60000};
  std::chrono::milliseconds rescan{2000};
  std::function<void(const std::string&)> log;
};

class Daemon {
 public:
  // Takes the store's daemon lock (refused, naming the running daemon, when
  // another holds it), starts the server and autosync, and writes the pidfile.
  static Result<std::unique_ptr<Daemon>> Start(DaemonOptions options);
  ~Daemon();

  const DaemonInfo& info() const;
  // Serves until Stop (from any thread).
  Status Run();
  void Stop();

  class Impl;

 private:
  explicit Daemon(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace weft::daemon
