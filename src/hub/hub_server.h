// `weft hub serve`: the hub's HTTP server (docs/design/hub.md). It stores and
// forwards and never folds or evaluates; it keeps no state of its own beyond
// counters, so several replicas serve one database behind any load balancer.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"

namespace weft::hub {

struct HubOptions {
  std::string db_url;
  std::string host = "127.0.0.1";
  int port = 7443;  // 0: any free port
  // PEM files; required on any address that is not loopback.
  std::string cert_file, key_file;
  std::size_t db_connections = 8;
  std::size_t max_long_polls = 512;           // per replica; one more is 503
  std::size_t max_db_queue = 256;             // requests waiting for a connection; one more is 503
  std::size_t max_request_bytes = 16u << 20;  // compressed; the codec caps decompressed
  std::size_t max_change_bytes = 1u << 20;    // one change with its blobs
  double rate_per_token = 200;                // requests a second, per token, per replica
  double rate_burst = 400;
  std::function<void(const std::string&)> log;  // one line per event worth a line
};

class HubServer {
 public:
  // Checks the database's schema, binds, and starts the listener thread.
  static Result<std::unique_ptr<HubServer>> Start(const HubOptions& options);
  ~HubServer();
  // Serves until Stop().
  Status Run();
  void Stop();
  int port() const;
  std::string url() const;

  struct Impl;

 private:
  explicit HubServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace weft::hub
