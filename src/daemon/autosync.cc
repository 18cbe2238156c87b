#include "daemon/autosync.h"

#include "fold/open.h"

namespace weft::daemon {

Autosync::Autosync(LoopOptions options, std::chrono::milliseconds rescan)
    : options_(std::move(options)), rescan_(rescan) {
  manager_ = std::thread([this] { Manage(); });
}

Autosync::~Autosync() { Stop(); }

void Autosync::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (manager_.joinable()) manager_.join();
  std::map<std::string, std::unique_ptr<PeerLoop>> loops;
  {
    std::lock_guard lock(mu_);
    loops.swap(loops_);
  }
  loops.clear();  // each stops and joins
}

void Autosync::OurHeadsChanged() {
  std::lock_guard lock(mu_);
  for (auto& [name, loop] : loops_) loop->OurHeadsChanged();
}

Status Autosync::Rescan(Store& store) {
  WEFT_ASSIGN_OR_RETURN(std::vector<Peer> peers, ListPeers(store.db()));
  std::map<std::string, Peer> wanted;
  for (Peer& p : peers) {
    if (!p.address.empty()) wanted.emplace(p.name, std::move(p));  // call-in only: no loop
  }
  std::vector<std::unique_ptr<PeerLoop>> ended;
  {
    std::lock_guard lock(mu_);
    if (stop_) return {};
    for (auto it = loops_.begin(); it != loops_.end();) {
      auto w = wanted.find(it->first);
      const Peer& running = it->second->peer();
      if (w == wanted.end() || w->second.address != running.address ||
          w->second.device_id != running.device_id) {
        if (options_.log) options_.log(it->first + ": no longer a peer (or changed); loop ended");
        ended.push_back(std::move(it->second));
        it = loops_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [name, peer] : wanted) {
      if (loops_.contains(name)) continue;
      if (options_.log) options_.log(fmt::format("{}: syncing with {}", name, peer.address));
      loops_.emplace(name, std::make_unique<PeerLoop>(options_, peer));
    }
  }
  ended.clear();  // joined outside the lock
  return {};
}

void Autosync::Manage() {
  // Read-write, though it only reads: a read-only open of a quiet store is
  // immutable and would never see a peer added later.
  std::unique_ptr<Store> store;
  while (true) {
    if (!store) {
      auto opened = OpenStore(options_.store_dir, Store::Access::kReadWrite, SystemMillis, nullptr,
                              options_.busy_timeout);
      if (opened) {
        store = std::move(*opened);
      } else if (options_.log) {
        options_.log("cannot read the peers: " + opened.error().message());
      }
    }
    if (store) {
      if (auto st = Rescan(*store); !st) {
        if (options_.log) options_.log("cannot read the peers: " + st.error().message());
        store.reset();
      }
    }
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, rescan_, [&] { return stop_; })) return;
  }
}

}  // namespace weft::daemon
