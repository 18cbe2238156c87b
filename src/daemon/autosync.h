// Autosync: one PeerLoop per registered peer that has an address, kept in step
// with the peer registry while the daemon runs (peers added or removed are
// picked up within `rescan`, without a restart).
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "daemon/peer_loop.h"
#include "store/store.h"

namespace weft::daemon {

class Autosync {
 public:
  Autosync(LoopOptions options, std::chrono::milliseconds rescan);
  ~Autosync();  // stops every loop
  Autosync(const Autosync&) = delete;
  Autosync& operator=(const Autosync&) = delete;

  // Our heads changed: every peer that may lack them is synced now.
  void OurHeadsChanged();
  void Stop();

 private:
  void Manage();
  Status Rescan(Store& store);

  LoopOptions options_;
  std::chrono::milliseconds rescan_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::map<std::string, std::unique_ptr<PeerLoop>> loops_;
  std::thread manager_;
};

}  // namespace weft::daemon
