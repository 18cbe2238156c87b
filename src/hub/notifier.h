// Wakes long-polls on this replica when a tenant's log grows (docs/design/hub.md,
// "Live across replicas"). A push on this replica raises its tenant at once; a
// push on another arrives by LISTEN weft_hub on a connection of its own; and once
// a second the latest numbers of the tenants someone waits on are read, so a lost
// notification (the listen connection cut, PostgreSQL restarted) delays a waiter
// by at most that second. A waiter holds no database connection.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace weft::hub {

class Notifier {
 public:
  // Tenant `id`'s log reaches `latest` (a smaller number than known is ignored).
  void Raise(std::int64_t tenant, std::int64_t latest);
  // What the database says now (the 1 s poll): taken as it is, lower too (a
  // restored hub), so no waiter trusts a number the log no longer reaches.
  void Set(std::int64_t tenant, std::int64_t latest);
  // Until the tenant's latest passes `after`, `deadline` passes, or Close().
  // Returns the latest known.
  std::int64_t Wait(std::int64_t tenant, std::int64_t after,
                    std::chrono::steady_clock::time_point deadline);
  std::vector<std::int64_t> Watched() const;  // tenants someone waits on now
  std::size_t waiting() const { return waiting_.load(); }
  void Close();

 private:
  mutable std::mutex mu_;
  std::condition_variable raised_;
  std::map<std::int64_t, std::int64_t> latest_;
  std::map<std::int64_t, int> watched_;
  std::atomic<std::size_t> waiting_{0};
  bool closed_ = false;
};

// The thread that LISTENs and polls for a Notifier.
class Listener {
 public:
  struct Hooks {
    std::string db_url;
    // Reads the latest numbers of `tenants` (the 1 s safety net); may fail.
    std::function<bool(const std::vector<std::int64_t>&,
                       std::vector<std::pair<std::int64_t, std::int64_t>>&)>
        poll;
    std::function<void(const std::string&)> log;
    std::function<void()> on_notify, on_reconnect;
  };
  Listener(Notifier& notifier, Hooks hooks);
  ~Listener();
  bool connected() const { return connected_.load(); }

 private:
  void Run();
  Notifier& notifier_;
  Hooks hooks_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::thread thread_;
};

}  // namespace weft::hub
