// Serving this instance to its peers over HTTP (`weft serve`): the listen
// address as a person writes it, and the server (net/sync_server.h).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/sync_server.h"

namespace weft::workspace {

struct ServeRequest {
  std::string listen = "127.0.0.1:7420";  // HOST:PORT, [V6]:PORT; port 0: any free one
  std::optional<bool> tls;                // unset: on unless the address is loopback
  net::Trust trust = net::Trust::kDevices;
  std::size_t max_sessions = 16;
  std::chrono::milliseconds busy_timeout{5000};
  std::function<void(const std::string&)> log;
  bool run_code = true;  // answer POST /v1/eval (workspace/remote_eval.h)
  std::function<void(const std::vector<ChangeHash>&)> heads_changed;
  // The dashboard (web/dashboard.h), set by the client that has it.
  std::function<void(httplib::Server&, net::ServerOptions::Who)> mount;
  std::function<bool(const httplib::Request&)> logged_in;
};

Result<std::unique_ptr<net::SyncServer>> StartServer(const std::string& store_dir,
                                                     const ServeRequest& request);

}  // namespace weft::workspace
