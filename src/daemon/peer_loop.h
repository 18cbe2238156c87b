// One registered peer's autosync (docs/design/daemon.md): a thread that syncs,
// then waits with jittered exponential backoff until the next cycle or a wake-up,
// and, for a peer with a URL, a second thread that long-polls the peer's
// /v1/events (a hub: its log's position) and wakes the first when the peer's
// heads move. Each loop has its
// own Store, so a slow or unreachable peer never holds up another.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/ids.h"
#include "store/hub_peers.h"
#include "store/peers.h"

namespace weft::daemon {

struct LoopOptions {
  std::string store_dir;
  std::chrono::milliseconds floor{2000};
  std::chrono::milliseconds ceiling{60000};
  double sync_timeout_s = 30;
  std::chrono::milliseconds busy_timeout{5000};
  std::chrono::seconds poll_wait{20};  // of one /v1/events long poll
  std::function<void(const std::string&)> log;
};

class PeerLoop {
 public:
  PeerLoop(LoopOptions options, Peer peer);
  ~PeerLoop();  // stops and joins
  PeerLoop(const PeerLoop&) = delete;
  PeerLoop& operator=(const PeerLoop&) = delete;

  const Peer& peer() const { return peer_; }
  // Our heads changed (a commit here, or changes from another peer): sync now
  // unless this peer already holds them.
  void OurHeadsChanged();
  void Stop();

 private:
  void Run();
  void Listen();
  // Listen() for a peer that is a hub: long-polls its position (daemon/hub_listen.cc).
  void ListenToHub(const HubPeer& hub);
  bool Stopped();
  void Wake(const std::string& trigger, std::vector<ChangeHash> their_heads);
  // Waits up to `wait` for a wake-up; returns its trigger, or "timer".
  std::string WaitForWake(std::chrono::milliseconds wait);
  void Log(const std::string& line) const;

  LoopOptions options_;
  Peer peer_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool listening_ = false;                // the listener thread has not returned yet
  std::optional<std::string> wake_;       // trigger of a pending wake-up
  std::vector<ChangeHash> their_heads_;   // from the peer's latest event
  std::function<void()> cancel_polling_;  // ends the long poll in progress
  std::thread runner_;
  std::thread listener_;
};

}  // namespace weft::daemon
